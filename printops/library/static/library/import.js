// Import page: send the zip with XHR so the page can show upload progress, then open the
// import's own page (which follows the server-side progress with htmx). Without JS the form
// posts normally and the server redirects to the same page.
(() => {
  const form = document.getElementById("import-form");
  if (!form) return;
  const input = document.getElementById("archive");
  const button = document.getElementById("import-submit");
  const bar = document.getElementById("import-upload-progress");
  const status = document.getElementById("import-status");
  const maxBytes = Number(form.dataset.maxBytes);
  const megabytes = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

  function fail(message) {
    status.textContent = message;
    status.classList.add("error");
    button.disabled = false;
    bar.hidden = true;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = input.files[0];
    status.classList.remove("error");
    if (!file) return fail("Choose a .zip file of the folder to import.");
    if (!file.name.toLowerCase().endsWith(".zip")) return fail("Choose a .zip file of the folder to import.");
    if (file.size > maxBytes) return fail(`Too large: ${megabytes(file.size)}; the limit is ${megabytes(maxBytes)}.`);
    const data = new FormData(form);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
        status.textContent = `Uploading ${megabytes(e.loaded)} of ${megabytes(e.total)}…`;
      }
    };
    xhr.upload.onload = () => { status.textContent = "Checking the archive…"; };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (error) { body = {}; }
      if (xhr.status === 201 && body.url) { window.location.assign(body.url); return; }
      fail(body.detail || `The server answered ${xhr.status}.`);
    };
    xhr.onerror = () => fail("The connection failed; try again.");
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    xhr.send(data);
  });
})();
