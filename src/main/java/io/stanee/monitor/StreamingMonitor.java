package io.stanee.monitor;

import io.stanee.core.MonitorSnapshot;
import io.stanee.core.MonitorSnapshot.ChannelView;
import io.stanee.core.MonitorSnapshot.ClientView;
import io.stanee.core.MonitorSnapshot.LimitsView;
import io.stanee.core.MonitorSnapshot.SubscriptionView;
import io.stanee.endpoint.StanServerBean;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.annotation.security.DeclareRoles;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The Go server's monitoring endpoints (nats-streaming-server 0.25.6, {@code server/monitor.go}) on Liberty's HTTP
 * port: the same paths, query parameters ({@code subs=1}, {@code client=}, {@code channel=}, {@code offset},
 * {@code limit}, and the NATS monitor's {@code callback} for JSONP), JSON field names and types, sort order,
 * paging defaults and status codes. The values come from a {@link MonitorSnapshot} the core's worker copies on
 * demand: these HTTP threads never touch the single-threaded core. A plain servlet: nothing else is needed.
 *
 * <p>The constraint takes effect only with Liberty's application security (stan.security=basic,
 * liberty/security/basic.xml): then a user bound to role {@value #ROLE}, over HTTPS. Without it (the default) the
 * endpoints answer whoever reaches the loopback-bound port, as before.
 */
@DeclareRoles(StreamingMonitor.ROLE)
@ServletSecurity(@HttpConstraint(rolesAllowed = StreamingMonitor.ROLE,
        transportGuarantee = ServletSecurity.TransportGuarantee.CONFIDENTIAL))
@WebServlet(urlPatterns = {StreamingMonitor.ROOT, StreamingMonitor.SERVERZ, StreamingMonitor.STOREZ,
        StreamingMonitor.CLIENTSZ, StreamingMonitor.CHANNELSZ, StreamingMonitor.IS_FT_ACTIVE})
public class StreamingMonitor extends HttpServlet {

    static final String ROLE = "stan-admin";
    static final String ROOT = "/streaming";
    static final String SERVERZ = ROOT + "/serverz";
    static final String STOREZ = ROOT + "/storez";
    static final String CLIENTSZ = ROOT + "/clientsz";
    static final String CHANNELSZ = ROOT + "/channelsz";
    static final String IS_FT_ACTIVE = ROOT + "/isFTActive";

    /** The Go server's defaultMonitorListLimit. */
    static final long DEFAULT_LIST_LIMIT = 1024;
    /** How long a request waits for the worker's copy (it comes within 100 ms unless a batch is in progress). */
    private static final Duration SNAPSHOT_WAIT = Duration.ofSeconds(5);

    private static final String ROOT_PAGE = """
            <html lang="en">
               <head>
                <link rel="shortcut icon" href="https://nats.io/img/favicon.ico">
                <style type="text/css">
                  body { font-family: "Century Gothic", CenturyGothic, AppleGothic, sans-serif; font-size: 22; }
                  a { margin-left: 32px; }
                </style>
              </head>
              <body>
                <img src="https://nats.io/img/logo.png" alt="NATS Streaming">
                <br/>
            \t<a href=./streaming/serverz>server</a><br/>
            \t<a href=./streaming/storez>store</a><br/>
            \t<a href=./streaming/clientsz>clients</a><br/>
            \t<a href=./streaming/channelsz>channels</a><br/>
                <br/>
                <a href=https://docs.nats.io/legacy/stan/intro/monitoring/>help</a>
              </body>
            </html>""";

    /** Go compares strings byte by byte (UTF-8), which is code point order. */
    private static final Comparator<String> GO_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    @EJB
    StanServerBean server;

    private String version = "unknown";

    @Override
    public void init() {
        try (InputStream manifest = getServletContext().getResourceAsStream("/META-INF/MANIFEST.MF")) {
            if (manifest != null) {
                String implementation = new Manifest(manifest).getMainAttributes().getValue("Implementation-Version");
                if (implementation != null) {
                    version = implementation;
                }
            }
        } catch (IOException e) {
            log("no version in the WAR's manifest: " + e);
        }
    }

    /** Every method, as the Go server's handlers answer whatever method they are called with. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath();
        if (ROOT.equals(path)) {
            send(response, 200, "text/html; charset=utf-8", ROOT_PAGE);
            return;
        }
        if (IS_FT_ACTIVE.equals(path)) {
            // read straight from the instance: the role is thread-safe, no copy needed
            response.setStatus("FT_ACTIVE".equals(server.instance().goState()) ? 200 : 204);
            response.setContentLength(0);
            return;
        }
        MonitorSnapshot snapshot;
        try {
            snapshot = server.instance().snapshots().fresh(SNAPSHOT_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            snapshot = null;
        }
        if (snapshot == null) {
            httpError(response, 503, "stan-ee has not started yet");
            return;
        }
        switch (path) {
            case SERVERZ -> json(request, response, serverz(snapshot));
            case STOREZ -> json(request, response, storez(snapshot));
            case CLIENTSZ -> clientsz(request, response, snapshot);
            default -> channelsz(request, response, snapshot);
        }
    }

    private JsonObject serverz(MonitorSnapshot s) {
        Instant now = Instant.now();
        JsonObjectBuilder serverz = header(s, now, false)
                .add("version", version)
                .add("go", "java" + Runtime.version())
                .add("state", s.state())
                .add("now", GoJson.time(now))
                .add("start_time", GoJson.time(s.start()))
                .add("uptime", GoJson.uptime(Duration.between(s.start(), now)))
                .add("clients", s.clients().size())
                .add("subscriptions", s.subscriptionCount())
                .add("channels", s.channels().size())
                .add("total_msgs", s.totalMsgs())
                .add("total_bytes", s.totalBytes())
                .add("in_msgs", s.inMsgs())
                .add("in_bytes", s.inBytes())
                .add("out_msgs", s.outMsgs())
                .add("out_bytes", s.outBytes());
        // omitted when zero, as the Go server does where it cannot read them
        FileDescriptors fds = fileDescriptors();
        if (fds.open() != 0) {
            serverz.add("open_fds", fds.open());
        }
        if (fds.max() != 0) {
            serverz.add("max_fds", fds.max());
        }
        return serverz.build();
    }

    /** What the Go server reads with procfs: the entries of /proc/self/fd and the soft "Max open files". */
    /** Open file descriptors and their soft limit; 0 where unknown (Go leaves the field out). */
    private record FileDescriptors(long open, long max) { }

    private static FileDescriptors fileDescriptors() {
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            long count = open.count();
            long max = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    max = "unlimited".equals(soft) ? 0 : Long.parseLong(soft);
                }
            }
            return new FileDescriptors(count, max);
        } catch (IOException | RuntimeException e) {
            return new FileDescriptors(0, 0);
        }
    }

    private JsonObject storez(MonitorSnapshot s) {
        MonitorSnapshot.StoreLimitsView limits = s.limits();
        JsonObjectBuilder json = limitFields(Json.createObjectBuilder().add("max_channels", limits.maxChannels()),
                limits.global());
        if (!limits.perChannel().isEmpty()) {
            JsonObjectBuilder channels = Json.createObjectBuilder();
            limits.perChannel().forEach((name, channel) ->
                    channels.add(name, limitFields(Json.createObjectBuilder(), channel)));
            json.add("channels", channels);
        }
        return header(s, Instant.now(), true)
                .add("type", server.storeType())
                .add("limits", json)
                .add("total_msgs", s.totalMsgs())
                .add("total_bytes", s.totalBytes())
                .build();
    }

    private static JsonObjectBuilder limitFields(JsonObjectBuilder json, LimitsView limits) {
        return json.add("max_msgs", limits.maxMsgs())
                .add("max_bytes", limits.maxBytes())
                .add("max_age", limits.maxAgeNanos())
                .add("max_subscriptions", limits.maxSubscriptions())
                .add("max_inactivity", limits.maxInactivityNanos());
    }

    private void clientsz(HttpServletRequest request, HttpServletResponse response, MonitorSnapshot s)
            throws IOException {
        String single = request.getParameter("client");
        boolean subs = atoi(request.getParameter("subs")) == 1;
        if (single != null && !single.isEmpty()) {
            ClientView client = s.clients().stream().filter(c -> c.id().equals(single)).findFirst().orElse(null);
            if (client == null) {
                httpError(response, 404, "Client " + single + " not found");
            } else {
                json(request, response, client(client, subs).build());
            }
            return;
        }
        List<ClientView> clients = sorted(s.clients(), ClientView::id);
        Page page = page(request.getParameter("offset"), request.getParameter("limit"), clients.size());
        JsonArrayBuilder array = Json.createArrayBuilder();
        clients.subList(page.from(), page.to()).forEach(client -> array.add(client(client, subs)));
        json(request, response, list(s, page, clients.size()).add("clients", array).build());
    }

    private static JsonObjectBuilder client(ClientView client, boolean subs) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("id", client.id())
                .add("hb_inbox", client.hbInbox())
                .add("subs_count", client.subscriptions().size());
        if (subs && !client.subscriptions().isEmpty()) {
            // a Go map: keys in sorted order, each channel's subscriptions in the client's order
            Map<String, JsonArrayBuilder> byChannel = new TreeMap<>(GO_ORDER);
            client.subscriptions().forEach(sub ->
                    byChannel.computeIfAbsent(sub.channel(), c -> Json.createArrayBuilder()).add(subscription(sub)));
            JsonObjectBuilder map = Json.createObjectBuilder();
            byChannel.forEach(map::add);
            json.add("subscriptions", map);
        }
        return json;
    }

    private void channelsz(HttpServletRequest request, HttpServletResponse response, MonitorSnapshot s)
            throws IOException {
        String single = request.getParameter("channel");
        boolean subs = atoi(request.getParameter("subs")) == 1;
        if (single != null && !single.isEmpty()) {
            ChannelView channel = s.channels().stream().filter(c -> c.name().equals(single)).findFirst().orElse(null);
            if (channel == null) {
                httpError(response, 404, "Channel " + single + " not found");
            } else {
                json(request, response, channel(channel, subs).build());
            }
            return;
        }
        List<ChannelView> channels = sorted(s.channels(), ChannelView::name);
        Page page = page(request.getParameter("offset"), request.getParameter("limit"), channels.size());
        List<ChannelView> shown = channels.subList(page.from(), page.to());
        JsonObjectBuilder json = list(s, page, channels.size());
        // "names" or "channels", each left out when empty (Go's omitempty)
        if (!shown.isEmpty()) {
            JsonArrayBuilder array = Json.createArrayBuilder();
            shown.forEach(channel -> {
                if (subs) {
                    array.add(channel(channel, true));
                } else {
                    array.add(channel.name());
                }
            });
            json.add(subs ? "channels" : "names", array);
        }
        json(request, response, json.build());
    }

    private static JsonObjectBuilder channel(ChannelView channel, boolean subs) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("name", channel.name())
                .add("msgs", channel.msgs())
                .add("bytes", channel.bytes())
                .add("first_seq", channel.firstSeq())
                .add("last_seq", channel.lastSeq())
                .add("subs_count", channel.subscriptions().size());
        if (subs && !channel.subscriptions().isEmpty()) {
            JsonArrayBuilder array = Json.createArrayBuilder();
            channel.subscriptions().forEach(sub -> array.add(subscription(sub)));
            json.add("subscriptions", array);
        }
        return json;
    }

    private static JsonObjectBuilder subscription(SubscriptionView sub) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("client_id", sub.clientId())
                .add("inbox", sub.inbox())
                .add("ack_inbox", sub.ackInbox());
        if (!sub.durableName().isEmpty()) {
            json.add("durable_name", sub.durableName());
        }
        if (!sub.queueName().isEmpty()) {
            json.add("queue_name", sub.queueName());
        }
        return json.add("is_durable", sub.durable())
                .add("is_offline", sub.offline())
                .add("max_inflight", sub.maxInflight())
                .add("ack_wait", sub.ackWait())
                .add("last_sent", sub.lastSent())
                .add("pending_count", sub.pendingCount())
                .add("is_stalled", sub.stalled());
    }

    private static JsonObjectBuilder header(MonitorSnapshot s, Instant now, boolean withNow) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("cluster_id", s.clusterId())
                .add("server_id", s.serverId());
        return withNow ? json.add("now", GoJson.time(now)) : json;
    }

    private static JsonObjectBuilder list(MonitorSnapshot s, Page page, int total) {
        return header(s, Instant.now(), true)
                .add("offset", page.offset())
                .add("limit", page.limit())
                .add("count", page.to() - page.from())
                .add("total", total);
    }

    private static <T> List<T> sorted(List<T> items, Function<T, String> key) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing(key, GO_ORDER));
        return sorted;
    }

    /** A page of a list: the offset and limit asked for (as Go echoes them), the first and end index shown. */
    record Page(long offset, long limit, int from, int to) { }

    /** The Go server's getOffsetAndLimit and getMinMaxOffset. */
    static Page page(String offsetParameter, String limitParameter, int total) {
        long offset = Math.max(0, atoi(offsetParameter));
        long limit = atoi(limitParameter);
        if (limit <= 0) {
            limit = DEFAULT_LIST_LIMIT;
        }
        long from = Math.min(offset, total);
        long to = Math.min(offset > Long.MAX_VALUE - limit ? Long.MAX_VALUE : offset + limit, total);
        return new Page(offset, limit, (int) from, (int) Math.max(from, to));
    }

    /** Go's strconv.Atoi with the error ignored: 0 when not a number, the nearest bound when out of range. */
    static long atoi(String text) {
        if (text == null || !text.matches("[+-]?[0-9]+")) {
            return 0;
        }
        BigInteger value = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        return value.max(BigInteger.valueOf(Long.MIN_VALUE)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    }

    /** natsd.ResponseHandler: JSON, or JSONP when the request names a callback. */
    static void json(HttpServletRequest request, HttpServletResponse response, JsonObject content)
            throws IOException {
        String body = GoJson.indent(content);
        String callback = request.getParameter("callback");
        if (callback != null && !callback.isEmpty()) {
            send(response, 200, "application/javascript", callback + "(" + body + ")");
        } else {
            response.setHeader("Access-Control-Allow-Origin", "*");
            send(response, 200, "application/json", body);
        }
    }

    /** Go's http.Error. */
    static void httpError(HttpServletResponse response, int status, String message) throws IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        send(response, status, "text/plain; charset=utf-8", message + "\n");
    }

    private static void send(HttpServletResponse response, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
