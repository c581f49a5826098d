// Names for the navs of Material's code blocks. With content.code.copy, Material's script adds
// a <nav class="md-code__nav"> (the copy button) to every code block; a page with several code
// blocks then has several nav landmarks of the same empty name, which a screen reader lists
// as indistinguishable (axe-core: landmark-unique). The navs exist only once Material's script
// has run, so no template can name them: this script names each "Code block N" (in the page's
// language) as Material adds it.
//
// It also gives a tab stop to each displayed formula that scrolls at the current width (axe-core:
// scrollable-region-focusable), and only to those, rechecked on resize. It requests nothing.
"use strict";

(function () {
  const CODE_BLOCK = { en: "Code block", zh: "代码块" };
  const language = document.documentElement.lang.split("-")[0];
  const word = CODE_BLOCK[language] || CODE_BLOCK.en;

  function nameCodeNavs() {
    document.querySelectorAll(".md-code__nav").forEach((nav, index) => {
      const name = `${word} ${index + 1}`;
      if (nav.getAttribute("aria-label") !== name) nav.setAttribute("aria-label", name);
    });
  }

  // Material adds the navs when it mounts its components, which may come before or after this
  // script runs: name those already there, and any added later.
  new MutationObserver(nameCodeNavs).observe(document.body, { childList: true, subtree: true });
  nameCodeNavs();

  // Every width is read before any tab stop is written: a write between two reads made the
  // browser lay the page out again for each formula (the longest article has dozens).
  function focusWideFormulas() {
    const blocks = [...document.querySelectorAll(".math-block")];
    const wide = blocks.map((block) => block.scrollWidth > block.clientWidth);
    blocks.forEach((block, index) => {
      if (wide[index] && !block.hasAttribute("tabindex")) block.setAttribute("tabindex", "0");
      if (!wide[index] && block.getAttribute("tabindex") === "0") block.removeAttribute("tabindex");
    });
  }

  let pending = false;
  function scheduleFormulas() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      focusWideFormulas();
    });
  }
  window.addEventListener("resize", scheduleFormulas);
  scheduleFormulas();
})();
