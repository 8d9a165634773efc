// The print queue: drag-and-drop reorder (HTML5 drag events; a pointer fallback for touch),
// persisted through POST /production/queue/reorder/, and a pause of the 5-second htmx poll
// while someone drags, has a form open or is typing in the list.
(function () {
  "use strict";
  let dragged = null;
  let seen = [];
  let busy = false;

  function list() { return document.getElementById("queue-list"); }
  function rows() { return Array.from(list() ? list().querySelectorAll("li.job[data-job-id]") : []); }
  function ids() { return rows().map(function (li) { return Number(li.dataset.jobId); }); }
  function csrf() {
    const m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function say(text, isError) {
    const box = document.getElementById("queue-status");
    if (!box) return;
    box.textContent = text;
    box.className = "message " + (isError ? "error" : "success");
  }
  let forced = false;  // a refresh this script asked for runs even while the queue is busy
  function refresh() { forced = true; document.body.dispatchEvent(new Event("queue-refresh")); }

  // The 5 s poll skips its turn while someone is using the queue. Asked here rather than in an
  // hx-trigger filter ("every 5s [queueIdle()]"), which htmx evaluates with eval: the CSP
  // allows no eval.
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt.id !== "queue-live") return;
    if (!forced && !queueIdle()) event.preventDefault();
    forced = false;
  });
  const queueIdle = function () {
    if (busy || dragged) return false;
    const live = document.getElementById("queue-live");
    if (!live) return true;
    if (live.querySelector("details[open]")) return false;
    const active = document.activeElement;
    return !(active && live.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName));
  };

  function begin(li) {
    dragged = li;
    seen = ids();
    li.classList.add("dragging");
    document.body.classList.add("queue-dragging");
  }
  function placeNear(y) {
    const others = rows().filter(function (li) { return li !== dragged; });
    let before = null;
    for (const li of others) {
      const box = li.getBoundingClientRect();
      if (y < box.top + box.height / 2) { before = li; break; }
    }
    others.forEach(function (li) { li.classList.toggle("drop-target", li === before); });
    if (before) list().insertBefore(dragged, before);
    else list().appendChild(dragged);
  }
  function finish() {
    if (!dragged) return;
    const li = dragged;
    dragged = null;
    li.classList.remove("dragging");
    document.body.classList.remove("queue-dragging");
    rows().forEach(function (r) { r.classList.remove("drop-target"); });
    const order = ids();
    if (order.join(",") === seen.join(",")) return;
    save(order, seen);
  }
  function save(order, before) {
    const url = list().dataset.reorderUrl;
    busy = true;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ job_ids: order, seen: before }),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) say("Queue order saved.", false);
        else say(body.detail || "The new order could not be saved; the queue is shown as it is.", true);
      });
    }).catch(function () {
      say("The new order could not be saved (no connection); the queue is shown as it is.", true);
    }).finally(function () {
      busy = false;
      refresh();
    });
  }

  // HTML5 drag and drop (mouse, and touch where the browser supports it).
  document.addEventListener("dragstart", function (event) {
    const li = event.target.closest && event.target.closest("#queue-list li.job[draggable=true]");
    if (!li) return;
    begin(li);
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", li.dataset.jobId);
  });
  document.addEventListener("dragover", function (event) {
    if (!dragged || !list().contains(event.target)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    placeNear(event.clientY);
  });
  document.addEventListener("drop", function (event) {
    if (dragged) { event.preventDefault(); finish(); }
  });
  document.addEventListener("dragend", function () { finish(); });

  // Touch fallback: drag by the handle with a finger (pointer events; the page does not scroll
  // while the handle is held: touch-action: none).
  document.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse") return;
    const handle = event.target.closest && event.target.closest("#queue-list .drag-handle");
    if (!handle) return;
    event.preventDefault();
    begin(handle.closest("li.job"));
    handle.setPointerCapture(event.pointerId);
    function move(e) { placeNear(e.clientY); }
    function up() {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
      handle.removeEventListener("pointercancel", up);
      finish();
    }
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
    handle.addEventListener("pointercancel", up);
  });
})();
