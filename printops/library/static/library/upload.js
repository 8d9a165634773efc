// Upload page: drag-and-drop (files and folders), per-file progress, cancel and retry,
// then editable model/variant suggestions saved in one go. Plain DOM, no framework.
(() => {
  const zone = document.getElementById("dropzone");
  if (!zone) return;
  const rows = document.getElementById("upload-rows");
  const grouping = document.getElementById("grouping");
  const statusLine = document.getElementById("grouping-status");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const accept = zone.dataset.accept.split(",");
  const maxBytes = Number(zone.dataset.maxBytes);
  const maxFiles = Number(zone.dataset.maxFiles);
  // One at a time, in natural name order: "part_v2" then lands after "part_v1" in its variant,
  // and one stream uses a link as fully as several.
  const PARALLEL = 1;
  const naturalOrder = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  const queue = [];
  let running = 0;

  const accepted = (name) => accept.some((ext) => name.toLowerCase().endsWith(ext));
  const megabytes = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

  // Each cell names its column, for the stacked layout on phones (CSS: td::before).
  const COLUMNS = ["File", "Progress", "Model", "Variant", ""];

  function cell(row, html) {
    const td = document.createElement("td");
    const label = COLUMNS[row.children.length];
    if (label) td.dataset.label = label;
    if (html instanceof Node) td.append(html); else td.textContent = html;
    row.append(td);
    return td;
  }

  function addFile(file, relativePath) {
    grouping.hidden = false;
    const row = document.createElement("tr");
    const name = cell(row, relativePath || file.name);
    name.className = "file-name";
    const progress = document.createElement("progress");
    progress.max = 100; progress.value = 0;
    progress.setAttribute("aria-label", `Upload of ${file.name}`);
    const note = document.createElement("div");
    note.className = "small";
    const progressCell = cell(row, progress);
    progressCell.append(note);
    const design = document.createElement("input");
    design.type = "text"; design.disabled = true; design.setAttribute("aria-label", `Model for ${file.name}`);
    const variant = document.createElement("input");
    variant.type = "text"; variant.disabled = true; variant.setAttribute("aria-label", `Variant for ${file.name}`);
    cell(row, design); cell(row, variant);
    const button = document.createElement("button");
    button.type = "button"; button.className = "small secondary";
    cell(row, button);
    rows.append(row);
    const job = { file, relativePath, row, progress, note, design, variant, button, xhr: null, result: null };
    if (!accepted(file.name)) return fail(job, "Not a sliced or mesh file PrintOps reads.", false);
    if (file.size > maxBytes) return fail(job, `Too large: ${megabytes(file.size)}; the limit is ${megabytes(maxBytes)}.`, false);
    if (file.size === 0) return fail(job, "The file is empty.", false);
    enqueue(job);
  }

  function enqueue(job) {
    job.note.textContent = "Waiting…";
    job.button.textContent = "Cancel";
    job.button.onclick = () => { queue.splice(queue.indexOf(job), 1); fail(job, "Cancelled.", true); };
    queue.push(job);
    pump();
  }

  function pump() {
    while (running < PARALLEL && queue.length) start(queue.shift());
  }

  const largeUrl = zone.dataset.largeUrl;
  const chunkBytes = Number(zone.dataset.chunkBytes);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function showProgress(job, loaded, total) {
    job.progress.value = Math.round((loaded / total) * 95);
    job.note.textContent = `${megabytes(loaded)} of ${megabytes(total)}`;
  }

  // Large files go in pieces; the upload id is remembered per file, so after a dropped
  // connection or a reload, "Retry" continues from the last piece the server has.
  async function startLarge(job) {
    running += 1;
    const controller = new AbortController();
    const signal = controller.signal;
    const key = `printops-upload:${job.relativePath}:${job.file.size}:${job.file.lastModified}`;
    job.button.textContent = "Cancel";
    job.button.onclick = () => controller.abort();
    const headers = { "X-CSRFToken": csrf };
    try {
      let state = null;
      const saved = localStorage.getItem(key);
      if (saved) {
        const response = await fetch(`${largeUrl}${saved}/`, { signal });
        if (response.ok) state = await response.json();
      }
      if (!state) {
        const form = new FormData();
        form.append("name", job.file.name);
        form.append("size", String(job.file.size));
        const response = await fetch(largeUrl, { method: "POST", body: form, headers, signal });
        const answer = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(answer.detail || `The server answered ${response.status}.`);
        state = answer;
        localStorage.setItem(key, state.id);
      }
      while (state.received_bytes < state.size_bytes) {
        const end = Math.min(state.received_bytes + state.chunk_bytes, state.size_bytes);
        const body = job.file.slice(state.received_bytes, end);
        let response = null;
        for (let attempt = 1; ; attempt += 1) {
          try {
            response = await fetch(`${largeUrl}${state.id}/?offset=${state.received_bytes}`,
              { method: "PUT", body, headers: { ...headers, "Content-Type": "application/octet-stream" }, signal });
            break;
          } catch (error) {
            if (signal.aborted || attempt >= 3) throw error;
            job.note.textContent = "Connection lost; trying again…";
            await sleep(1000 * attempt);
          }
        }
        const answer = await response.json().catch(() => ({}));
        // 409: the server already had this piece; carry on from what it says it has.
        if (!response.ok && response.status !== 409) throw new Error(answer.detail || `The server answered ${response.status}.`);
        state.received_bytes = answer.received_bytes;
        showProgress(job, state.received_bytes, state.size_bytes);
      }
      job.note.textContent = "Reading the file…";
      const form = new FormData();
      form.append("relative_path", job.relativePath || job.file.name);
      const response = await fetch(`${largeUrl}${state.id}/finish/`, { method: "POST", body: form, headers, signal });
      const answer = await response.json().catch(() => ({}));
      localStorage.removeItem(key);
      running -= 1;
      finish(job, response.status, answer);
    } catch (error) {
      running -= 1;
      fail(job, signal.aborted ? "Cancelled." : (error.message || "The connection failed."), true);
      pump();
    }
  }

  function start(job) {
    if (job.file.size > chunkBytes) return startLarge(job);
    running += 1;
    const form = new FormData();
    form.append("file", job.file);
    form.append("relative_path", job.relativePath || job.file.name);
    const xhr = new XMLHttpRequest();
    job.xhr = xhr;
    xhr.open("POST", zone.dataset.uploadUrl);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) showProgress(job, event.loaded, event.total);
    };
    xhr.upload.onload = () => { job.note.textContent = "Reading the file…"; };
    xhr.onload = () => {
      running -= 1;
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (error) { body = {}; }
      finish(job, xhr.status, body);
    };
    xhr.onerror = () => { running -= 1; fail(job, "The connection failed.", true); pump(); };
    xhr.onabort = () => { running -= 1; fail(job, "Cancelled.", true); pump(); };
    job.button.textContent = "Cancel";
    job.button.onclick = () => xhr.abort();
    xhr.send(form);
  }

  function finish(job, status, body) {
    if (status === 201) {
      job.result = body;
      job.progress.value = 100;
      const link = document.createElement("a");
      link.href = body.url;
      link.textContent = body.status === "unreadable" ? `Stored, but unreadable: ${body.unreadable_reason}` : `v${body.number} · ${body.print_time} · ${body.filament_grams ? body.filament_grams.toFixed(1) + " g" : "grams unknown"}`;
      job.note.replaceChildren(link);
      job.design.value = body.design.name; job.design.disabled = false; job.design.dataset.saved = body.design.name;
      job.variant.value = body.variant.name; job.variant.disabled = false; job.variant.dataset.saved = body.variant.name;
      job.button.hidden = true;
      job.row.classList.add("done");
    } else {
      fail(job, body.detail || `The server answered ${status}.`, status >= 500 || status === 0);
    }
    pump();
  }

  function fail(job, message, canRetry) {
    job.progress.value = 0;
    job.note.textContent = message;
    job.note.classList.add("error");
    job.row.classList.add("failed");
    job.button.hidden = !canRetry;
    job.button.textContent = "Retry";
    job.button.onclick = () => { job.note.classList.remove("error"); job.row.classList.remove("failed"); enqueue(job); };
  }

  function addAll(entries) {
    const room = maxFiles - entries.length;
    if (room < 0) statusLine.textContent = `Only the first ${maxFiles} files were taken; drop the rest next.`;
    entries
      .slice(0, maxFiles)
      .sort(([, a], [, b]) => naturalOrder.compare(a, b))
      .forEach(([file, path]) => addFile(file, path));
  }

  async function walk(entry, prefix, out) {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      out.push([file, prefix + file.name]);
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      let batch;
      do {
        batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out);
      } while (batch.length);
    }
  }

  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", async (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    const items = Array.from(event.dataTransfer.items || []);
    const entries = items.map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
    if (entries.length) {
      const out = [];
      for (const entry of entries) await walk(entry, "", out);
      addAll(out.filter(([file]) => !file.name.startsWith(".")));
    } else {
      addAll(Array.from(event.dataTransfer.files).map((file) => [file, file.name]));
    }
  });
  for (const id of ["file-input", "folder-input"]) {
    document.getElementById(id).addEventListener("change", (event) => {
      addAll(Array.from(event.target.files).map((file) => [file, file.webkitRelativePath || file.name]));
      event.target.value = "";
    });
  }

  grouping.addEventListener("submit", async (event) => {
    event.preventDefault();
    let saved = 0, failed = 0;
    for (const row of rows.querySelectorAll("tr.done")) {
      const [design, variant] = row.querySelectorAll("input");
      if (design.value === design.dataset.saved && variant.value === variant.dataset.saved) continue;
      const body = new FormData();
      body.append("design_name", design.value);
      body.append("variant_name", variant.value);
      const link = row.querySelector("a");
      const moveUrl = link.getAttribute("href").replace(/\/$/, "/move/");
      const response = await fetch(moveUrl, { method: "POST", body, headers: { "X-CSRFToken": csrf } });
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        saved += 1;
        design.dataset.saved = answer.design.name; variant.dataset.saved = answer.variant.name;
        link.href = answer.url;
        link.textContent = link.textContent.replace(/^v\d+/, `v${answer.number}`);
      } else {
        failed += 1;
        statusLine.textContent = answer.detail || "A change could not be saved.";
      }
    }
    if (!failed) statusLine.textContent = saved ? `Saved ${saved} change${saved === 1 ? "" : "s"}.` : "Nothing to change.";
  });
})();
