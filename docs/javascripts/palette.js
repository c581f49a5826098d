// A palette switch changes every colour at once, as Material intends: transitions are off from
// the moment the reader picks a palette until the next frame is drawn, and on a first visit
// until Material's script has switched to the preferred scheme (overrides/main.html starts
// that). overrides/hooks/palette_switch.py says why Material's own rule for this is gone.
// The listener runs in the capture phase, before Material's own on the palette's inputs.
"use strict";

(function () {
  const root = document.documentElement;
  const later = () => requestAnimationFrame(() => requestAnimationFrame(() => root.classList.remove("palette-switching")));
  if (root.classList.contains("palette-switching")) later(); // Material has switched already
  document.addEventListener(
    "change",
    (event) => {
      if (!(event.target instanceof Element) || !event.target.closest('[data-md-component="palette"]')) return;
      root.classList.add("palette-switching");
      later();
    },
    true,
  );
})();
