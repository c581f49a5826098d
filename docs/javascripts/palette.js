// A palette switch changes every colour at once, as Material intends: transitions are off from
// the moment the reader picks a palette until the next frame is drawn. Material does this with
// a [data-md-color-switching] rule that overrides/hooks/palette_switch.py takes out of its
// stylesheet, because Material's script also sets that attribute on every page load, where
// the rule restyled every element of the page twice. This listener runs only when the reader
// switches: it listens in the capture phase, so it runs before Material's own listener on the
// palette's inputs, which sets the new colours. It requests nothing.
"use strict";

(function () {
  const root = document.documentElement;
  document.addEventListener(
    "change",
    (event) => {
      if (!(event.target instanceof Element) || !event.target.closest('[data-md-component="palette"]')) return;
      root.classList.add("palette-switching");
      requestAnimationFrame(() => requestAnimationFrame(() => root.classList.remove("palette-switching")));
    },
    true,
  );
})();
