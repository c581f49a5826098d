// The "try it" box of the home page (docs/index.md, docs/index.zh.md): p <- softmax(beta * p),
// pass after pass, in double precision, in the reader's browser; -inf entries (a mask) too. Every text comes from the page
// (labels in its HTML, messages in the form's data-msg-* attributes), so one script serves both
// editions. The input is parsed as numbers, never evaluated. Without JavaScript the form stays
// hidden and the page's fallback sentence (.try-it-fallback) points to the notebook instead.
"use strict";

(function () {
  const MAX_ENTRIES = 1000;
  const MAX_PASSES = 200;
  const SHOWN_ENTRIES = 10; // a row shows this many entries; its data-values holds them all
  const DEFAULT_BETA = 1;
  const DEFAULT_PASSES = 10;
  // A decimal number as Python and JavaScript write one; Number() alone would also take hex,
  // "Infinity" and the empty string.
  const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
  const INFINITE = /^\+?inf(?:inity)?$/i;
  const MASKED = /^-inf(?:inity)?$/i; // -inf, as a mask writes it: exp(-inf) is exactly 0

  class InputError extends Error {
    constructor(field, key, values) {
      super(key);
      this.field = field;
      this.key = key; // the data-msg-* attribute that says what is wrong
      this.values = values || {};
    }
  }

  /** The form's data-msg-* template `key`, with each {name} replaced by values[name]. */
  function message(form, key, values) {
    return form.dataset[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
  }

  /** The number a token spells, or why it is none ("NotNumber", "Infinite", "TooLarge"). */
  function parseNumber(token, masks) {
    if (masks && MASKED.test(token)) return { value: -Infinity };
    if (INFINITE.test(token) || MASKED.test(token)) return { problem: "Infinite" };
    if (!DECIMAL.test(token)) return { problem: "NotNumber" };
    const value = Number(token);
    return Number.isFinite(value) ? { value } : { problem: "TooLarge" }; // 1e309 reads as Infinity
  }

  function readVector(field) {
    // Brackets too, as Python prints a list: [1.0, 2.0, 3.0].
    const text = field.value.trim().replace(/^\[/, "").replace(/\]$/, "");
    const tokens = text.split(/[\s,]+/).filter(Boolean);
    if (tokens.length === 0) throw new InputError(field, "msgEmpty");
    if (tokens.length > MAX_ENTRIES) throw new InputError(field, "msgTooMany", { max: MAX_ENTRIES, count: tokens.length });
    const values = tokens.map((token, index) => {
      const { value, problem } = parseNumber(token, true);
      if (problem) throw new InputError(field, "msgEntry" + problem, { entry: index + 1 });
      return value;
    });
    if (values.length === 1) throw new InputError(field, "msgSingle");
    return values;
  }

  function readBeta(field) {
    const token = field.value.trim();
    if (token === "") return DEFAULT_BETA;
    const { value, problem } = parseNumber(token);
    if (problem) throw new InputError(field, "msgBeta");
    return value;
  }

  function readPasses(field) {
    const token = field.value.trim();
    if (token === "") return DEFAULT_PASSES;
    const passes = /^\d{1,4}$/.test(token) ? Number(token) : 0;
    if (passes < 1 || passes > MAX_PASSES) throw new InputError(field, "msgPasses", { max: MAX_PASSES });
    return passes;
  }

  /** softmax(beta * p), with the largest logit subtracted first so that exp cannot overflow. */
  function softmax(p, beta) {
    const logits = p.map((v) => beta * v);
    const largest = Math.max(...logits);
    const exps = logits.map((z) => Math.exp(z - largest));
    const total = exps.reduce((sum, e) => sum + e, 0); // at least 1: the largest gives exp(0)
    return exps.map((e) => e / total);
  }

  /** max_i |p_i - 1/n|: the site's `gap` (docs/convergence.md). */
  function distanceToUniform(p) {
    const uniform = 1 / p.length;
    return Math.max(...p.map((v) => Math.abs(v - uniform)));
  }

  /** Exponent with two digits, as Python and torch print it: 1.9e-05, not 1.9e-5. */
  function exponential(v, digits) {
    if (Number.isNaN(v)) return "nan"; // as torch prints it
    return v.toExponential(digits).replace(/e([+-])(\d)$/, "e$10$2");
  }

  function formatEntry(v) {
    return v === 0 || v >= 1e-4 ? v.toFixed(10) : exponential(v, 4);
  }

  function compute(form) {
    const fields = form.elements;
    const x = readVector(fields.vector);
    const beta = readBeta(fields.beta);
    const passes = readPasses(fields.passes);
    // Later passes multiply entries in [0, 1] by a finite beta; only the first can overflow.
    const overflow = x.findIndex((v) => Number.isFinite(v) && !Number.isFinite(beta * v));
    if (overflow >= 0) throw new InputError(fields.beta, "msgOverflow", { entry: overflow + 1 });
    // beta * -inf is -inf only for beta > 0 (0 * -inf is NaN, a negative beta gives +inf).
    if (beta <= 0 && x.includes(-Infinity)) throw new InputError(fields.beta, "msgMaskBeta");
    const rows = [];
    let p = x;
    for (let pass = 1; pass <= passes; pass++) {
      p = softmax(p, beta);
      rows.push({ pass, p, distance: distanceToUniform(p) });
    }
    // All -inf: softmax subtracts the largest, -inf - (-inf) is NaN, and so is every entry, as in torch.
    return { n: x.length, beta, passes, rows, allMasked: x.every((v) => v === -Infinity) };
  }

  function cell(tag, text) {
    const element = document.createElement(tag);
    element.textContent = text;
    return element;
  }

  function showResult(form, result) {
    const table = form.querySelector(".try-it__table");
    const shown = Math.min(result.n, SHOWN_ENTRIES);
    const more = result.n > shown ? " …" : "";
    let caption = message(form, "msgCaption", { beta: result.beta, n: result.n });
    if (more) caption += message(form, "msgShown", { shown });
    table.caption.textContent = caption;
    const body = document.createElement("tbody");
    for (const { pass, p, distance } of result.rows) {
      const row = body.insertRow();
      // Full precision for programs (String(x) reads back as the same double); rounded for people.
      row.dataset.values = p.join(" ");
      row.dataset.distance = String(distance);
      const header = row.appendChild(cell("th", String(pass)));
      header.scope = "row";
      row.appendChild(cell("td", p.slice(0, shown).map(formatEntry).join(" ") + more));
      row.appendChild(cell("td", exponential(distance, 1)));
    }
    table.tBodies[0].replaceWith(body);
    form.querySelector(".try-it__scroll").hidden = false;
    const first = result.rows[0].distance;
    const last = result.rows[result.rows.length - 1].distance;
    const status = form.querySelector(".try-it__status");
    status.classList.remove("try-it__status--error");
    const key = result.allMasked ? "msgAllMasked" : "msgDone";
    status.textContent = message(form, key, { first: exponential(first, 1), last: exponential(last, 1), passes: result.passes });
  }

  function showError(form, error, moveFocus) {
    // The results of an earlier input must not pass for this one's.
    form.querySelector(".try-it__scroll").hidden = true;
    form.querySelector(".try-it__table").tBodies[0].replaceChildren();
    const status = form.querySelector(".try-it__status");
    status.classList.add("try-it__status--error");
    status.textContent = message(form, "msgError", { text: message(form, error.key, error.values) });
    error.field.setAttribute("aria-invalid", "true");
    if (moveFocus) error.field.focus(); // to the field to fix, but never on page load
  }

  function run(form, moveFocus) {
    for (const field of form.elements) field.removeAttribute("aria-invalid");
    let result;
    try {
      result = compute(form);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      showError(form, error, moveFocus);
      return;
    }
    showResult(form, result);
  }

  function activate(form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      run(form, true);
    });
    for (const fallback of document.querySelectorAll(".try-it-fallback")) fallback.hidden = true;
    form.hidden = false;
    run(form, false); // the default input's passes, shown from the start
  }

  function start() {
    for (const form of document.querySelectorAll("form.try-it")) activate(form);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
