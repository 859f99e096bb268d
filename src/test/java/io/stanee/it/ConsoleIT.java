package io.stanee.it;

import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.testing.HeadlessChromium;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.StanClients;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console at /console/ in a real browser (Debian's headless chromium through Selenium), reading a
 * scenario made with the official Java STAN client: two channels, a text one and a binary one, a durable
 * subscription with unacknowledged messages that stalls it. First stan-ee's own {@code /streaming/msgsz}
 * endpoint that the console's message view reads, then what a user sees on the page, then that the page follows
 * more publishes by itself. On its own NATS (4372), Liberty server stanee-h2 (9102) and embedded Derby.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final int HTTP_PORT = 9102;
    private static final Duration UI_WAIT = Duration.ofSeconds(20);
    /** An element's text as the user sees it, or null when there is no such element. */
    private static final String SHOWN_TEXT =
            "const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : null;";
    /** Bytes no UTF-8 decoder accepts (0xff, a lone continuation byte 0x80), with a NUL: the console shows hex. */
    private static final byte[][] SENSOR_READINGS = {
            {0x00, (byte) 0xff, 0x10, (byte) 0x80},
            {0x01, 0x02, (byte) 0xfe, 0x7f},
            {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef},
    };

    private final NatsServer nats = new NatsServer(4372);
    private LibertyServer liberty;
    private StreamingConnection publisher;
    private StreamingConnection auditor;

    @BeforeAll
    void start() throws Exception {
        nats.start();
        liberty = LibertyServer.another("stanee-h2", HTTP_PORT);
        liberty.deleteDerbyDatabase();
        liberty.configure(Map.of(
                "stan.db", "derby",
                "stan.derby.dir", liberty.derbyDirectory().toString(),
                "stan.nats_server", nats.url())).start();

        publisher = connect("console-pub");
        for (int i = 1; i <= 5; i++) {
            publisher.publish("orders", ("order " + i).getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] reading : SENSOR_READINGS) {
            publisher.publish("sensors", reading);
        }
        // a durable subscriber that never acks: with 2 in flight at most it holds 2 pending and stalls
        auditor = connect("console-sub");
        CountDownLatch received = new CountDownLatch(2);
        auditor.subscribe("orders", message -> received.countDown(), new SubscriptionOptions.Builder()
                .durableName("audit").deliverAllAvailable().manualAcks().maxInFlight(2)
                .ackWait(Duration.ofSeconds(60)).build());
        assertTrue(received.await(15, TimeUnit.SECONDS), "the durable got its first two messages");
    }

    @AfterAll
    void stop() throws Exception {
        for (StreamingConnection connection : new StreamingConnection[] {auditor, publisher}) {
            if (connection != null) {
                connection.close();
            }
        }
        if (liberty != null) {
            liberty.stop();
        }
        nats.close();
    }

    private StreamingConnection connect(String clientId) throws Exception {
        return StanClients.connect(clientId, (Options.Builder options) -> options.natsUrl(nats.url()));
    }

    // ---- stan-ee's /streaming/msgsz, read as the console reads it ----

    @Test
    @Order(1)
    void msgszAnswersTheNewestMessagesOfAChannel() throws Exception {
        HttpResponse<String> answer = get("/streaming/msgsz?channel=orders&last=3");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""));
        JsonObject msgsz = parse(answer.body());
        assertEquals("test-cluster", msgsz.getString("cluster_id"));
        assertEquals("orders", msgsz.getString("name"));
        assertEquals(5, msgsz.getJsonNumber("msgs").longValue());
        assertEquals(1, msgsz.getJsonNumber("first_seq").longValue());
        assertEquals(5, msgsz.getJsonNumber("last_seq").longValue());
        assertEquals(3, msgsz.getInt("last"));
        assertEquals(3, msgsz.getInt("count"));
        JsonArray messages = msgsz.getJsonArray("messages");
        OffsetDateTime now = OffsetDateTime.now();
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonObject message = messages.getJsonObject(i);
            assertEquals(3 + i, message.getJsonNumber("sequence").longValue(), "oldest first: " + messages);
            assertEquals("orders", message.getString("subject"));
            OffsetDateTime stamped = OffsetDateTime.parse(message.getString("timestamp"));
            assertTrue(stamped.isAfter(now.minusMinutes(5)) && !stamped.isAfter(now.plusSeconds(5)),
                    "stamped by this test's publish: " + message);
            byte[] data = Base64.getDecoder().decode(message.getString("data"));
            assertEquals(data.length, message.getInt("size"));
            payloads.add(new String(data, StandardCharsets.UTF_8));
        }
        assertEquals(List.of("order 3", "order 4", "order 5"), payloads);
    }

    @Test
    @Order(2)
    void msgszCarriesBinaryPayloadsExactly() throws Exception {
        JsonObject msgsz = parse(get("/streaming/msgsz?channel=sensors").body());
        assertEquals(10, msgsz.getInt("last"), "the default");
        assertEquals(3, msgsz.getInt("count"), "all the channel has, fewer than asked for");
        for (int i = 0; i < SENSOR_READINGS.length; i++) {
            assertArrayEquals(SENSOR_READINGS[i],
                    Base64.getDecoder().decode(msgsz.getJsonArray("messages").getJsonObject(i).getString("data")));
        }
    }

    @Test
    @Order(3)
    void msgszIsBoundedAndRefusesWhatItCannotAnswer() throws Exception {
        assertEquals(100, parse(get("/streaming/msgsz?channel=orders&last=100000").body()).getInt("last"));

        HttpResponse<String> unknown = get("/streaming/msgsz?channel=nope");
        assertEquals(404, unknown.statusCode());
        assertEquals("Channel nope not found\n", unknown.body(), "the words of channelsz for an unknown channel");
        // the premise: channelsz says the same of that channel
        assertEquals(404, get("/streaming/channelsz?channel=nope").statusCode());

        HttpResponse<String> none = get("/streaming/msgsz");
        assertEquals(400, none.statusCode());
        assertTrue(none.body().startsWith("channel is required"), none.body());

        HttpResponse<String> jsonp = get("/streaming/msgsz?channel=sensors&last=1&callback=cb");
        assertEquals("application/javascript", jsonp.headers().firstValue("Content-Type").orElse(""));
        assertTrue(jsonp.body().startsWith("cb({") && jsonp.body().endsWith("})"), jsonp.body());
    }

    // ---- the console in the browser ----

    @Test
    @Order(4)
    void theConsoleShowsTheServerAndFollowsItLive() throws Exception {
        assertEquals(200, get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").statusCode(),
                "the chart library is served from its WebJar");
        try (HeadlessChromium chromium = new HeadlessChromium(1400, 2200)) {
            WebDriver browser = chromium.driver();
            browser.get("http://127.0.0.1:" + HTTP_PORT + "/console/");
            // the page swaps a table's rows when they change: an element found a moment ago may be gone
            WebDriverWait wait = new WebDriverWait(browser, UI_WAIT);
            wait.ignoring(StaleElementReferenceException.class);

            // the channels with their counts
            wait.until(text("#channels tr[data-channel='orders'] td.msgs", "5"));
            wait.until(text("#channels tr[data-channel='sensors'] td.msgs", "3"));
            assertEquals("5", shows(browser, "#channels tr[data-channel='orders'] td.last"));
            assertEquals("1", shows(browser, "#channels tr[data-channel='orders'] td.subs"));

            // the server overview
            assertEquals("test-cluster", shows(browser, "#server dd[data-field='cluster_id']"));
            assertEquals("STANDALONE", shows(browser, "#server dd[data-field='state']"));
            assertEquals("2", shows(browser, "#server dd[data-field='channels']"));
            assertEquals("2", shows(browser, "#server dd[data-field='clients']"));
            assertEquals("8", shows(browser, "#server dd[data-field='total_msgs']"));

            // the clients, and the durable with its pending messages, stalled
            wait.until(text("#clients tr[data-client='console-sub'] td.channels", "orders"));
            find(browser, "#clients tr[data-client='console-pub']");
            String audit = "#subscriptions tr[data-channel='orders'][data-client='console-sub'] ";
            assertEquals("durable", shows(browser, audit + "td.kind"));
            assertEquals("audit", shows(browser, audit + "td.names"));
            assertEquals("2", shows(browser, audit + "td.pending"));
            assertEquals("stalled", shows(browser, audit + "td.stalled"));
            assertEquals("2", shows(browser, audit + "td.lastsent"));

            // a channel's messages: text, newest first
            new Select(find(browser, "#msg-channel")).selectByValue("orders");
            wait.until(text("#messages tbody tr:first-child td.seq", "5"));
            assertEquals("order 5", shows(browser, "#messages tbody tr:first-child td.payload"));
            assertEquals("text", shows(browser, "#messages tbody tr:first-child td.as"));
            assertEquals(5, browser.findElements(By.cssSelector("#messages tbody tr[data-seq]")).size());
            assertTrue(shows(browser, "#messages tbody tr:first-child td.time")
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)"));

            // binary payloads in hex, chosen by clicking the channel's row
            wait.until(driver -> {
                find(driver, "#channels tr[data-channel='sensors']").click();
                return true;
            });
            wait.until(text("#messages tbody tr:first-child td.seq", "3"));
            assertEquals("hex", shows(browser, "#messages tbody tr:first-child td.as"));
            assertEquals(hex(SENSOR_READINGS[2]),
                    shows(browser, "#messages tbody tr:first-child td.payload"));
            assertEquals(hex(SENSOR_READINGS[0]),
                    shows(browser, "#messages tbody tr:last-child td.payload"));

            // the chart: a canvas drawing the points of the polls so far
            JavascriptExecutor script = (JavascriptExecutor) browser;
            wait.until(driver -> ((Number) script.executeScript("return window.stanConsole.chartPoints()"))
                    .intValue() >= 2);
            WebElement canvas = find(browser, "#rate-chart canvas");
            assertTrue(canvas.getSize().getWidth() > 300 && canvas.getSize().getHeight() > 50,
                    "the chart is drawn: " + canvas.getSize());

            // live: more publishes show up without a reload of the page
            new Select(find(browser, "#msg-channel")).selectByValue("orders");
            wait.until(text("#messages tbody tr:first-child td.seq", "5"));
            script.executeScript("window.notReloaded = true");
            for (int i = 6; i <= 8; i++) {
                publisher.publish("orders", ("order " + i).getBytes(StandardCharsets.UTF_8));
            }
            wait.until(text("#channels tr[data-channel='orders'] td.msgs", "8"));
            wait.until(text("#messages tbody tr:first-child td.payload", "order 8"));
            assertEquals("8", shows(browser, "#messages tbody tr:first-child td.seq"));
            assertEquals("11", shows(browser, "#server dd[data-field='total_msgs']"));
            assertEquals(Boolean.TRUE, script.executeScript("return window.notReloaded === true"),
                    "the page updated itself, it was not loaded again");
            // the publishes reach the chart as a rate above zero
            wait.until(driver -> ((Number) script.executeScript(
                    "return Math.max(...window.stanConsole.inRates())")).doubleValue() > 0);

            Path screenshot = Path.of("target", "console.png");
            Files.copy(chromium.driver().getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                    StandardCopyOption.REPLACE_EXISTING);
            assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page: " + screenshot);
        }
    }

    private static WebElement find(WebDriver browser, String css) {
        return browser.findElement(By.cssSelector(css));
    }

    /** The text an element shows, read in one step in the page (no element reference to go stale). */
    private static String shows(WebDriver browser, String css) {
        Object text = ((JavascriptExecutor) browser).executeScript(SHOWN_TEXT, css);
        if (text == null) {
            throw new AssertionError("no element " + css + " on the page");
        }
        return (String) text;
    }

    /** Until the element exists and shows exactly {@code expected}; the failure names what it showed last. */
    private static ExpectedCondition<Boolean> text(String css, String expected) {
        return new ExpectedCondition<>() {
            private String last = "(no element)";

            @Override
            public Boolean apply(WebDriver browser) {
                Object text = ((JavascriptExecutor) browser).executeScript(SHOWN_TEXT, css);
                last = text == null ? "(no element)" : (String) text;
                return expected.equals(last);
            }

            @Override
            public String toString() {
                return css + " to show \"" + expected + "\" (it showed \"" + last + "\")";
            }
        };
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + path))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("GET " + path + ": " + e, e);
        }
    }

    private static JsonObject parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    /** As the console writes bytes: two lower-case digits each, a space between. */
    private static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
