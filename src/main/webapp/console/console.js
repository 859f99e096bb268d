// stan-ee console: polls the monitoring endpoints once a second and redraws the page.
// Every value shown comes from the server's JSON; rates are the differences between two polls.
"use strict";

(function () {
  const API = "../streaming/";
  const POLL_MS = 1000;
  const CHART_POINTS = 120; // two minutes at one poll a second
  const PAYLOAD_PREVIEW = 512; // bytes of a payload shown in the table

  const state = {
    previous: null,    // { at, in_msgs, out_msgs, lastSeqs: Map(channel -> last_seq) }
    chart: null,
    chartData: [[], [], []], // time (s), in msgs/s, out msgs/s
    selected: "",
  };

  // ---- tiny DOM helpers: text only, never HTML from the server ----
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "class") node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function cell(value, className) {
    return el("td", className ? { class: className } : {}, value);
  }

  // Swaps a table's rows only when they changed, so that a text the user selects stays selected between polls.
  const shownRows = new WeakMap();

  function replaceRows(table, rows, columns, emptyText) {
    const body = document.querySelector(table + " tbody");
    if (rows.length === 0) {
      rows = [el("tr", {}, el("td", { class: "empty", colspan: String(columns) }, emptyText))];
    }
    const signature = rows.map(row => row.outerHTML).join("");
    if (shownRows.get(body) !== signature) {
      body.replaceChildren(...rows);
      shownRows.set(body, signature);
    }
  }

  async function getJson(path) {
    const response = await fetch(API + path, { cache: "no-store" });
    if (!response.ok) {
      throw new Error(path + ": " + response.status + " " + (await response.text()).trim());
    }
    return response.json();
  }

  const number = new Intl.NumberFormat("en-US");
  const rate = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

  // ---- server overview and the chart ----
  function showServer(serverz, rates) {
    const values = Object.assign({}, serverz, {
      in_rate: rates ? rate.format(rates.in) : "–",
      out_rate: rates ? rate.format(rates.out) : "–",
    });
    for (const dd of document.querySelectorAll("#server dd[data-field]")) {
      const value = values[dd.dataset.field];
      dd.textContent = value === undefined ? "–" : (typeof value === "number" ? number.format(value) : value);
    }
  }

  function ratesSince(previous, serverz, now) {
    if (!previous) return null;
    const seconds = (now - previous.at) / 1000;
    if (seconds <= 0) return null;
    return {
      in: Math.max(0, serverz.in_msgs - previous.in_msgs) / seconds,
      out: Math.max(0, serverz.out_msgs - previous.out_msgs) / seconds,
      seconds: seconds,
    };
  }

  function chartWidth() {
    return Math.max(320, document.getElementById("rates").clientWidth);
  }

  function addChartPoint(now, rates) {
    const data = state.chartData;
    data[0].push(now / 1000);
    data[1].push(rates.in);
    data[2].push(rates.out);
    if (data[0].length > CHART_POINTS) data.forEach(series => series.shift());
    if (!state.chart) {
      state.chart = new uPlot({
        width: chartWidth(),
        height: 220,
        series: [
          {},
          { label: "in msgs/s", stroke: "#27aae1", width: 2, fill: "rgba(39,170,225,0.08)" },
          { label: "out msgs/s", stroke: "#8e44ad", width: 2 },
        ],
        axes: [{}, { label: "msgs/s" }],
        legend: { live: false }, // the labels only: the numbers are in the overview above
        scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      }, data, document.getElementById("rate-chart"));
      window.addEventListener("resize", () => state.chart.setSize({ width: chartWidth(), height: 220 }));
    } else {
      state.chart.setData(data);
    }
  }

  // ---- channels, clients, subscriptions ----
  function showChannels(channels, previous, seconds) {
    const rows = channels.map(channel => {
      let perSecond = "–";
      if (previous && seconds > 0 && previous.has(channel.name)) {
        perSecond = rate.format(Math.max(0, channel.last_seq - previous.get(channel.name)) / seconds);
      }
      const row = el("tr", { "data-channel": channel.name },
        cell(channel.name, "name"),
        cell(number.format(channel.msgs), "num msgs"),
        cell(number.format(channel.bytes), "num bytes"),
        cell(channel.first_seq, "num first"),
        cell(channel.last_seq, "num last"),
        cell(channel.subs_count, "num subs"),
        cell(perSecond, "num rate"));
      if (channel.name === state.selected) row.classList.add("selected");
      row.addEventListener("click", () => select(channel.name));
      return row;
    });
    replaceRows("#channels", rows, 7, "no channels");
    const choose = document.getElementById("msg-channel");
    const names = channels.map(channel => channel.name);
    const shown = Array.from(choose.options).slice(1).map(option => option.value);
    if (names.join("\n") !== shown.join("\n")) {
      choose.replaceChildren(el("option", { value: "" }, "(choose a channel)"),
        ...names.map(name => el("option", { value: name }, name)));
      choose.value = names.includes(state.selected) ? state.selected : "";
    }
  }

  function showClients(clients) {
    const rows = clients.map(client => el("tr", { "data-client": client.id },
      cell(client.id, "id"),
      cell(client.hb_inbox, "hb"),
      cell(client.subs_count, "num subs"),
      cell(Object.keys(client.subscriptions || {}).join(", "), "channels")));
    replaceRows("#clients", rows, 4, "no clients connected");
  }

  function kind(sub) {
    if (sub.queue_name) return sub.is_durable ? "durable queue" : "queue";
    return sub.is_durable ? "durable" : "plain";
  }

  function showSubscriptions(channels) {
    const rows = [];
    for (const channel of channels) {
      for (const sub of channel.subscriptions || []) {
        const row = el("tr", { "data-channel": channel.name, "data-client": sub.client_id },
          cell(channel.name, "channel"),
          cell(sub.client_id + (sub.is_offline ? " (offline)" : ""), "client"),
          cell(kind(sub), "kind"),
          cell([sub.durable_name, sub.queue_name].filter(Boolean).join(" / ") || "–", "names"),
          cell(sub.inbox || "–", "inbox"),
          cell(sub.max_inflight, "num inflight"),
          cell(sub.ack_wait + " s", "num ackwait"),
          cell(sub.last_sent, "num lastsent"),
          cell(sub.pending_count, "num pending" + (sub.pending_count > 0 ? " nonzero" : "")),
          cell(sub.is_stalled ? "stalled" : "no", sub.is_stalled ? "stalled stalled-yes" : "stalled"));
        if (sub.is_offline) row.classList.add("offline");
        rows.push(row);
      }
    }
    replaceRows("#subscriptions", rows, 10, "no subscriptions");
  }

  // ---- messages of the selected channel ----
  function select(name) {
    state.selected = name;
    document.getElementById("msg-channel").value = name;
    for (const row of document.querySelectorAll("#channels tbody tr[data-channel]")) {
      row.classList.toggle("selected", row.dataset.channel === name);
    }
    refresh();
  }

  function bytesOf(base64) {
    const text = atob(base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  // Text when the payload is valid UTF-8 without control characters (tabs and line breaks allowed), else hex.
  function payload(bytes) {
    const preview = bytes.subarray(0, PAYLOAD_PREVIEW);
    const more = bytes.length > PAYLOAD_PREVIEW ? " … (" + number.format(bytes.length) + " bytes)" : "";
    try {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) {
        return { as: "text", shown: (bytes.length > PAYLOAD_PREVIEW ? text.slice(0, PAYLOAD_PREVIEW) : text) + more };
      }
    } catch (notUtf8) {
      // shown as hex below
    }
    const hex = Array.from(preview, b => b.toString(16).padStart(2, "0")).join(" ");
    return { as: "hex", shown: hex + more };
  }

  function showMessages(msgsz) {
    const rows = (msgsz ? msgsz.messages.slice().reverse() : []).map(message => {
      const shown = payload(bytesOf(message.data));
      return el("tr", { "data-seq": String(message.sequence) },
        cell(message.sequence, "num seq"),
        cell(message.timestamp, "time"),
        cell(number.format(message.size), "num size"),
        cell(shown.as, "as"),
        cell(shown.shown, "payload " + shown.as));
    });
    replaceRows("#messages", rows, 5, msgsz ? "no messages stored" : "choose a channel");
  }

  function lastWanted() {
    const value = parseInt(document.getElementById("msg-last").value, 10);
    return Number.isFinite(value) && value > 0 ? Math.min(value, 100) : 20;
  }

  // ---- the poll ----
  let timer = null;
  let running = false;
  let again = false; // a refresh asked for while one runs (a new channel chosen): run once more right after

  async function refresh() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    clearTimeout(timer);
    const status = document.getElementById("status");
    try {
      const selected = state.selected;
      const [serverz, channelsz, clientsz, msgsz] = await Promise.all([
        getJson("serverz"),
        getJson("channelsz?subs=1"),
        getJson("clientsz?subs=1"),
        selected ? getJson("msgsz?channel=" + encodeURIComponent(selected) + "&last=" + lastWanted())
          .catch(error => { if (String(error.message).includes(" 404 ")) return null; throw error; })
          : Promise.resolve(null),
      ]);
      const now = Date.now();
      const channels = channelsz.channels || [];
      const rates = ratesSince(state.previous, serverz, now);
      showServer(serverz, rates);
      if (rates) addChartPoint(now, rates);
      showChannels(channels, state.previous && state.previous.lastSeqs, rates ? rates.seconds : 0);
      showClients(clientsz.clients || []);
      showSubscriptions(channels);
      if (selected === state.selected) showMessages(msgsz);
      state.previous = {
        at: now, in_msgs: serverz.in_msgs, out_msgs: serverz.out_msgs,
        lastSeqs: new Map(channels.map(channel => [channel.name, channel.last_seq])),
      };
      status.textContent = "updated " + new Date(now).toLocaleTimeString();
      status.classList.remove("error");
    } catch (error) {
      status.textContent = "cannot read the server: " + error.message;
      status.classList.add("error");
    } finally {
      running = false;
      timer = setTimeout(refresh, again ? 0 : POLL_MS);
    }
  }

  document.getElementById("msg-channel").addEventListener("change", event => select(event.target.value));
  document.getElementById("msg-last").addEventListener("change", () => refresh());
  document.getElementById("message-form").addEventListener("submit", event => { event.preventDefault(); refresh(); });

  // for a look from the browser's console (and the browser test): the chart's points so far
  window.stanConsole = {
    chartPoints: () => state.chartData[0].length,
    inRates: () => state.chartData[1].slice(),
    outRates: () => state.chartData[2].slice(),
    select: select,
  };

  refresh();
})();
