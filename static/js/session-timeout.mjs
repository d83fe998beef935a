// GOV.UK's time-out warning (kentlocality/sessions.py says what the server does).
//
// The server ends a session SESSION_IDLE_MINUTES after its last request. This module
// counts from the last request any tab of the service made (shared through
// localStorage), opens the dialog SESSION_WARNING_SECONDS before the end, and:
// - "Stay signed in" (or Escape) asks the keep-alive address, which extends the session;
// - typing or choosing on the page counts as activity: at most once a minute it extends
//   the session quietly, so nobody is signed out while filling in a long answer;
// - at the end, a page whose form says data-kent-save-on-timeout sends that form as a
//   draft (the server saves it and signs out); any other page posts to the timed-out
//   address. Both land on the sign-in page with a message, and back here after it.
// Timers are checked against the clock, so a laptop that slept acts on waking.

const body = document.body;
const idleSeconds = Number(body.dataset.sessionIdleSeconds);
const warningSeconds = Number(body.dataset.sessionWarningSeconds);
const dialog = document.getElementById("kent-timeout");
const STORE = "kent-session-last-request";
// Act a little before the server's limit, so that the save arrives while the session
// is still there.
const MARGIN_MS = Math.min(10000, (idleSeconds * 1000) / 10);
const QUIET_EXTEND_MS = 60000;

let lastRequest = Date.now();
let ending = false;

function remember(at) {
  lastRequest = Math.max(lastRequest, at);
  try {
    localStorage.setItem(STORE, String(lastRequest));
  } catch {
    // Storage refused (private mode): this tab counts alone.
  }
}

function sharedLastRequest() {
  try {
    return Math.max(lastRequest, Number(localStorage.getItem(STORE)) || 0);
  } catch {
    return lastRequest;
  }
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function minutesAndSeconds(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

async function extend() {
  const response = await fetch(body.dataset.keepAliveUrl, {
    credentials: "same-origin",
    headers: { "X-Requested-With": "fetch" },
  });
  if (response.status === 204) {
    remember(Date.now());
    return true;
  }
  return false;
}

function end() {
  if (ending) return;
  ending = true;
  const form = document.querySelector("form[data-kent-save-on-timeout]");
  if (form) {
    for (const [name, value] of [
      ["draft", "1"],
      ["timed_out", "1"],
    ]) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.append(input);
    }
    form.submit();
    return;
  }
  const leave = document.createElement("form");
  leave.method = "post";
  leave.action = body.dataset.timedOutUrl;
  leave.hidden = true;
  for (const [name, value] of [
    ["csrfmiddlewaretoken", csrfToken()],
    ["next", window.location.pathname + window.location.search],
  ]) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    leave.append(input);
  }
  body.append(leave);
  leave.submit();
}

let lastAnnounced = "";

function check() {
  const left = sharedLastRequest() + idleSeconds * 1000 - MARGIN_MS - Date.now();
  if (left <= 0) {
    end();
    return;
  }
  if (left <= warningSeconds * 1000) {
    const words = minutesAndSeconds(left);
    dialog.querySelector(".kent-timeout-countdown").textContent = words;
    if (!dialog.open) {
      lastAnnounced = "";
      dialog.showModal();
      dialog.querySelector("#kent-timeout-title").focus();
    }
    // Screen readers hear the time left each minute, then every 20 seconds in the last.
    const announce = left > 60000 ? words : `${Math.ceil(left / 20000) * 20} seconds`;
    if (announce !== lastAnnounced) {
      lastAnnounced = announce;
      dialog.querySelector("#kent-timeout-announce").textContent =
        `You will be signed out in ${announce}.`;
    }
  } else if (dialog.open) {
    dialog.close(); // another tab stayed signed in
  }
}

async function stay() {
  if (await extend()) {
    dialog.close();
    check();
  } else {
    end(); // the session had already ended
  }
}

if (dialog && idleSeconds > 0) {
  remember(Date.now());
  // Say that answers are kept only where they are.
  dialog.querySelector("[data-kent-timeout-saves]").hidden = !document.querySelector(
    "form[data-kent-save-on-timeout]",
  );
  window.setInterval(check, 1000);
  dialog.querySelector("[data-kent-timeout-stay]").addEventListener("click", stay);
  dialog.querySelector("[data-kent-timeout-leave]").addEventListener("click", end);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault(); // Escape means "stay", not a silent close
    stay();
  });
  window.addEventListener("storage", (event) => {
    if (event.key === STORE) check();
  });
  let quietlyExtended = Date.now();
  const activity = () => {
    if (dialog.open || ending) return;
    if (Date.now() - quietlyExtended > QUIET_EXTEND_MS) {
      quietlyExtended = Date.now();
      extend();
    }
  };
  document.addEventListener("input", activity);
  document.addEventListener("change", activity);
}
