// Layout helpers every page shares. A static file, never inline: the CSP allows no inline script.
(() => {
  document.documentElement.classList.add("js");
  // <details class="wide-open">: open on wide screens, collapsed on phones (e.g. the queue's
  // filters, so a phone's first screen shows the queue, not the filters).
  const wide = window.matchMedia("(min-width: 641px)");
  const apply = () => {
    for (const box of document.querySelectorAll("details.wide-open")) box.open = wide.matches;
  };
  apply();
  wide.addEventListener("change", apply);
})();
