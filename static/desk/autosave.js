/* The article form's safety net (articles/desk/autosave.py):
   - autosaves what the editor types as their draft, a few seconds after the last change and
     when the tab is hidden;
   - offers a draft kept from an earlier visit back: Restore fills the form, Discard forgets it;
   - warns before leaving the page with changes that Save has not kept (an autosaved draft is
     a safety net, not a save, so it does not silence the warning);
   - keeps "X is editing since 10:31" current with a heartbeat.
   None of it is needed to save the form: without this script the notices stay plain text. */
(function () {
  "use strict";

  // Editors made by django-prose-editor, by textarea; it announces each one when it is ready.
  const editors = new WeakMap();
  document.addEventListener("prose-editor:ready", (event) => {
    editors.set(event.detail.textarea, event.detail.editor);
  });

  function start() {
    const root = document.getElementById("desk-editing");
    const form = root && root.closest("form");
    if (!form || !root.dataset.autosaveUrl) {
      return;
    }
    const token = form.elements.namedItem("csrfmiddlewaretoken").value;
    const status = root.querySelector("[data-autosave-status]");
    // A form sent back with errors holds changes that are not saved yet.
    const refused = form.querySelector(".errornote") !== null;
    const initial = refused ? null : fields(form);
    let lastKept = initial;
    let timer = null;
    let inflight = null;
    let again = false;
    let submitting = false;

    function post(url, body, options = {}) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "X-CSRFToken": token,
          "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
        },
        body: body || "",
        ...options,
      });
    }

    function say(message) {
      status.textContent = message;
      status.hidden = !message;
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(autosave, Number(root.dataset.debounceSeconds) * 1000);
    }

    function autosave(leaving = false) {
      clearTimeout(timer);
      if (submitting) {
        return;
      }
      if (inflight) {
        again = true;
        return;
      }
      const body = fields(form);
      if (body !== lastKept) {
        inflight = send(body, leaving).finally(() => {
          inflight = null;
          if (again) {
            again = false;
            schedule();
          }
        });
      }
    }

    async function send(body, leaving) {
      try {
        // keepalive lets the request outlive a closing tab, for bodies up to 64 KiB.
        const response = await post(root.dataset.autosaveUrl, body, {
          keepalive: leaving && body.length < 60000,
        });
        if (response.ok) {
          lastKept = body;
          const { time } = await response.json();
          say(`Autosaved as your draft at ${time}: press Save to keep it in the article.`);
        } else if (response.status === 413) {
          lastKept = body; // not sent again until it changes
          say("Too long to autosave: press Save to keep your changes.");
        } else {
          say("Autosave failed: press Save to keep your changes.");
        }
      } catch {
        say("Autosave failed (no connection?): press Save to keep your changes.");
      }
    }

    async function heartbeat() {
      if (submitting) {
        return;
      }
      // Changes that sent no event (some widgets only tell jQuery) are caught here.
      if (fields(form) !== lastKept && !inflight) {
        schedule();
      }
      try {
        const response = await post(root.dataset.presenceUrl);
        if (response.ok) {
          showOthers((await response.json()).others);
        }
      } catch {
        // Presence is a courtesy: the next beat tries again.
      }
    }

    function showOthers(others) {
      const list = root.querySelector("[data-presence]");
      list.replaceChildren(
        ...others.map(({ name, since }) => {
          const item = document.createElement("li");
          item.className = "info";
          item.textContent = `${name} is editing since ${since}`;
          return item;
        }),
      );
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    if (window.django && window.django.jQuery) {
      window.django.jQuery(form).on("change", schedule);
    }
    form.addEventListener("submit", (event) => {
      clearTimeout(timer);
      submitting = true;
      // A save that overtook an autosave still in flight would find no draft to delete, and
      // the late autosave would leave one behind: the save waits for it.
      if (inflight) {
        event.preventDefault();
        inflight.then(() => form.requestSubmit(event.submitter));
      }
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") {
        autosave(true);
      } else {
        heartbeat();
      }
    });
    window.addEventListener("beforeunload", (event) => {
      if (!submitting && fields(form) !== initial) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    setInterval(heartbeat, Number(root.dataset.heartbeatSeconds) * 1000);
    if (refused) {
      schedule();
    }

    const notice = root.querySelector("[data-autosave-notice]");
    const draft = document.getElementById("desk-autosave-data");
    if (!notice || !draft) {
      return;
    }
    const actions = notice.querySelector("[data-autosave-actions]");
    actions.hidden = false;
    actions.querySelector("[data-autosave-restore]").addEventListener("click", () => {
      const missed = restore(form, JSON.parse(draft.textContent));
      actions.remove();
      notice.append(
        ": restored. Press Save to keep them in the article.",
        missed.length ? ` Not restored: ${missed.join(", ")}.` : "",
      );
      schedule();
    });
    actions.querySelector("[data-autosave-discard]").addEventListener("click", async () => {
      try {
        const response = await post(root.dataset.discardUrl);
        if (!response.ok) {
          throw new Error(response.statusText);
        }
      } catch {
        say("The unsaved changes could not be discarded; try again.");
        return;
      }
      notice.closest("ul").remove();
      draft.remove();
      // The draft is gone; changes made on this page are autosaved afresh.
      lastKept = initial;
      say("");
      if (fields(form) !== initial) {
        schedule();
      }
    });
  }

  // The form's fields as posted, minus the CSRF token and files, URL-encoded.
  function fields(form) {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") {
        params.append(name, value);
      }
    }
    return params.toString();
  }

  // Hidden inputs belong to this page (inline rows' ids and counts), not to the draft; only
  // the version the draft started from is restored, so that saving a draft that someone else
  // has overtaken is refused as stale rather than replacing their work unseen.
  function restorable(element) {
    if (!element.name || element.disabled || element.name === "csrfmiddlewaretoken") {
      return false;
    }
    if (["file", "submit", "button", "reset", "image"].includes(element.type)) {
      return false;
    }
    return element.type !== "hidden" || element.name === "edit_version";
  }

  // Fill the form from a draft ({name: [values]}); returns the fields it could not fill.
  function restore(form, data) {
    const missed = new Set();
    const groups = new Map();
    for (const element of form.elements) {
      if (restorable(element)) {
        groups.set(element.name, [...(groups.get(element.name) || []), element]);
      }
    }
    for (const [name, elements] of groups) {
      const values = data[name] || [];
      const [first] = elements;
      if (first.type === "checkbox" || first.type === "radio") {
        // An unticked box is absent from a posted form.
        for (const element of elements) {
          element.checked = values.includes(element.value);
        }
      } else if (!(name in data)) {
        continue;
      } else if (first.tagName === "SELECT") {
        for (const option of first.options) {
          option.selected = values.includes(option.value);
        }
        const offered = Array.from(first.options, (option) => option.value);
        if (values.some((value) => !offered.includes(value))) {
          missed.add(label(first));
        }
        if (window.django && window.django.jQuery) {
          window.django.jQuery(first).trigger("change.select2");
        }
      } else {
        elements.forEach((element, index) => {
          if (index < values.length) {
            element.value = values[index];
            showInEditor(element);
          }
        });
      }
    }
    return [...missed];
  }

  // A body textarea's rich-text editor shows the restored HTML (one not made yet reads it
  // from the textarea when it starts).
  function showInEditor(textarea) {
    const wrapper = textarea.closest(".prose-editor");
    if (!wrapper) {
      return;
    }
    const view = wrapper.querySelector(".ProseMirror");
    const editor = editors.get(textarea) || (view && view.editor);
    if (editor) {
      editor.commands.setContent(textarea.value, { emitUpdate: true });
    }
  }

  function label(element) {
    const text = element.labels && element.labels[0] && element.labels[0].textContent;
    return (text || element.name).replace(/:$/, "").trim();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
