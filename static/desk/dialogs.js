/* What the body editor's dialogs share (see_also.js, link.js import it as
   "newsroom-desk/dialogs", an entry of the form's import map: articles/desk/editor.py):
   - the form's settings for the editor (where to search, which articles never to offer);
   - the search of our articles (articles/desk/lookup.py) and a list of results to choose from;
   - a modal <dialog> with a title, its fields, and buttons. */

let lastId = 0;

export function uniqueId(prefix) {
  lastId += 1;
  return `${prefix}-${lastId}`;
}

// A DOM element: el("p", { className: "x", "aria-live": "polite" }, ["text", child]).
export function el(tagName, attributes = {}, children = []) {
  const element = document.createElement(tagName);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (/^(data-|aria-|role$|for$)/.test(name)) {
      element.setAttribute(name, value === true ? "" : value);
    } else {
      element[name] = value;
    }
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

// Settings the article form renders for its body editor (desk-body-editor).
export function deskConfig() {
  const data = document.getElementById("desk-body-editor");
  return { searchUrl: null, exclude: [], ...(data ? JSON.parse(data.textContent) : {}) };
}

export async function searchArticles(query, { exclude = [], signal } = {}) {
  const { searchUrl, exclude: never } = deskConfig();
  const params = new URLSearchParams({ q: query });
  for (const pk of new Set([...never, ...exclude])) {
    params.append("exclude", pk);
  }
  const response = await fetch(`${searchUrl}?${params}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
    signal,
  });
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || !type.includes("json")) {
    // A login page instead of results: the session ended.
    throw new Error(response.ok ? "you may have been signed out" : response.statusText);
  }
  return response.json();
}

const dates = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
  dateStyle: "medium",
});

// "Draft · Nov 25, 2026"
export function describe(result) {
  return `${result.state_label} · ${dates.format(new Date(result.date))}`;
}

/* A search box over our articles and the list of what it finds, newest first; choosing one
   calls onChoose(result). unavailable(result) may name why a result cannot be chosen. */
export function articlePicker({ label, exclude = () => [], onChoose, unavailable = () => null }) {
  const inputId = uniqueId("desk-picker");
  const input = el("input", {
    type: "search",
    id: inputId,
    className: "desk-picker__query",
    autocomplete: "off",
    spellcheck: false,
  });
  const status = el("p", { className: "desk-picker__status", role: "status" });
  const results = el("ul", { className: "desk-picker__results", "aria-label": "Articles found" });
  const element = el("div", { className: "desk-picker" }, [
    el("label", { for: inputId }, [label]),
    input,
    status,
    results,
  ]);
  let timer = null;
  let pending = null;

  async function search() {
    pending?.abort();
    pending = new AbortController();
    const query = input.value.trim();
    results.setAttribute("aria-busy", "true");
    status.textContent = "Searching…";
    try {
      show(await searchArticles(query, { exclude: exclude(), signal: pending.signal }), query);
    } catch (error) {
      if (error.name !== "AbortError") {
        results.replaceChildren();
        results.removeAttribute("aria-busy");
        status.textContent = `The search failed (${error.message}). Try again.`;
      }
    }
  }

  function show(found, query) {
    results.replaceChildren(...found.map(item));
    results.removeAttribute("aria-busy");
    if (found.length) {
      const what = found.length === 1 ? "1 article" : `${found.length} articles`;
      status.textContent = query ? `${what} found, newest first.` : `${what}, newest first.`;
    } else {
      status.textContent = query ? `No article matches “${query}”.` : "No articles yet.";
    }
  }

  function item(result) {
    const reason = unavailable(result);
    const button = el(
      "button",
      {
        type: "button",
        className: "desk-picker__result",
        "data-article": result.id,
        disabled: Boolean(reason),
      },
      [
        el("span", { className: "desk-picker__headline" }, [result.headline]),
        el("span", { className: "desk-picker__meta" }, [
          describe(result),
          reason ? ` · ${reason}` : null,
        ]),
      ],
    );
    button.addEventListener("click", () => onChoose(result));
    return el("li", {}, [button]);
  }

  input.addEventListener("input", () => {
    results.setAttribute("aria-busy", "true"); // what it lists is about to change
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  // Enter searches at once (and does not submit the dialog).
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      search();
    }
  });
  // Arrow keys go from the box to the results and between them.
  element.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") {
      return;
    }
    const buttons = [...results.querySelectorAll("button:not(:disabled)")];
    const index = buttons.indexOf(document.activeElement);
    const next = event.key === "ArrowDown" ? index + 1 : index - 1;
    if (next >= 0 && next < buttons.length) {
      buttons[next].focus();
      event.preventDefault();
    } else if (next < 0 && index === 0) {
      input.focus();
      event.preventDefault();
    }
  });
  return { element, input, search };
}

/* A modal dialog over the page, outside the admin's form. build(dialog) returns its body;
   buttons are [{ label, value, primary }]; onButton(value) returns true to close it. Returns
   { dialog, close }: closing gives the focus back to `returnFocus` at once (Escape leaves it
   to the browser, which gives it back to where it was). */
export function openDialog({ title, className, build, buttons, onButton, returnFocus }) {
  const titleId = uniqueId("desk-dialog-title");
  const dialog = el("dialog", { className: `desk-dialog ${className}`, "aria-labelledby": titleId });
  const form = el("form", { method: "dialog", noValidate: true });
  const footer = el(
    "div",
    { className: "desk-dialog__buttons" },
    buttons.map(({ label, value, primary }) =>
      el("button", {
        type: primary ? "submit" : "button",
        value,
        className: primary ? "button default" : "button",
        textContent: label,
      }),
    ),
  );
  form.append(el("h2", { id: titleId, textContent: title }), build(dialog), footer);
  dialog.append(form);

  function close() {
    dialog.close();
    returnFocus?.();
  }
  function press(value) {
    if (onButton(value)) {
      close();
    }
  }
  footer.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button && button.type === "button") {
      press(button.value);
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    press(event.submitter ? event.submitter.value : buttons.find((b) => b.primary)?.value);
  });
  // Removed once closed, however it was closed.
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close };
}
