/* The SEE ALSO box in the article body: a Tiptap node for the marker the body stores,
   <div data-see-also="123"></div> (our article 123) or
   <div data-see-also="https://example.org/page"></div> (an outside page),
   with the display attributes the form adds and the server reads back: data-title (our
   article's headline, or the outside page's title, which is required) and, for one of ours
   that readers cannot see yet, data-state ("draft", "in review", "scheduled", "taken down",
   "in the trash"). See articles/desk/editor.py for the contract.

   The box is one block between the body's top-level blocks, never inside a list or quote. In
   the editor it reads as readers will see it, and is dragged, moved (its arrows, or Alt+Up and
   Alt+Down), removed (its button, or Backspace/Delete when selected), cut and pasted like any
   block. The toolbar's "SEE ALSO" button opens a chooser: one of our articles, found by
   headline (not one already placed, nor one in the form's list of links at the end), or an
   outside link with its title. */

import { Node, pm, isNodeSelection } from "django-prose-editor/editor";
import { articlePicker, el, openDialog, uniqueId } from "newsroom-desk/dialogs";

const { NodeSelection, Plugin, TextSelection } = pm.state;

// How the box tells an editor that readers do not see it (yet).
const NOTES = {
  draft: "Draft: hidden from readers until it is published",
  "in review": "In review: hidden from readers until it is published",
  scheduled: "Scheduled: hidden from readers until it goes live",
  "taken down": "Taken down: hidden from readers",
  "in the trash": "In the trash: hidden from readers",
};

export function isOutside(target) {
  return /^https?:\/\//i.test(target || "");
}

// The address typed for an outside link, as an absolute http(s) URL, or null.
export function httpAddress(typed) {
  let value = (typed || "").trim();
  if (value && !/^[a-z][a-z0-9+.-]*:/i.test(value) && /^[^\s/]+\.[^\s.]+/.test(value)) {
    value = `https://${value}`; // "example.org/page"
  }
  try {
    const url = new URL(value);
    return ["http:", "https:"].includes(url.protocol) && url.hostname ? url.href : null;
  } catch {
    return null;
  }
}

// Our articles already placed in the document, by number.
export function placedArticles(doc) {
  const placed = [];
  doc.descendants((node) => {
    if (node.type.name === "seeAlso" && /^\d+$/.test(node.attrs.target || "")) {
      placed.push(Number(node.attrs.target));
    }
  });
  return placed;
}

// Our articles in the form's list of SEE ALSO links at the end of the article (its inline
// rows, less those ticked for deletion): a link is either there or in the text, not both.
function listedAtTheEnd() {
  const listed = new Set();
  for (const select of document.querySelectorAll('#related_links-group select[name$="-target_article"]')) {
    const row = select.closest("tr");
    const deleted = row && row.querySelector('input[name$="-DELETE"]');
    if (select.value && !(deleted && deleted.checked) && !row.classList.contains("empty-form")) {
      listed.add(Number(select.value));
    }
  }
  return listed;
}

// Where a new box goes for this selection: between top-level blocks, never splitting one.
function placeFor(selection) {
  const { $from } = selection;
  if ($from.depth === 0) {
    return selection.to; // a selected block, a gap between blocks, or everything
  }
  const block = $from.node(1);
  const atStart = selection.empty && $from.depth === 1 && $from.parentOffset === 0;
  const empty = block.isTextblock && block.content.size === 0;
  // At the start of a paragraph, or on an empty line: before it, so writing goes on below.
  return atStart || empty ? $from.before(1) : $from.after(1);
}

// Put `node` in at `pos`, leaving the cursor in the text after it (or the box selected).
function insertAt(tr, pos, node) {
  tr.insert(pos, node);
  const next = tr.doc.nodeAt(pos + node.nodeSize);
  tr.setSelection(
    next && next.isTextblock
      ? TextSelection.create(tr.doc, pos + node.nodeSize + 1)
      : NodeSelection.create(tr.doc, pos),
  );
  return tr.scrollIntoView();
}

class SeeAlsoView {
  constructor({ node, editor, getPos }) {
    this.node = node;
    this.editor = editor;
    this.getPos = getPos;
    this.title = el("span", { className: "desk-see-also__title" });
    this.note = el("span", { className: "desk-see-also__note" });
    this.up = this.button("↑", "desk-see-also__up", () => this.move(-1));
    this.down = this.button("↓", "desk-see-also__down", () => this.move(1));
    this.remove = this.button("Remove", "desk-see-also__remove", () => this.delete());
    this.dom = el("div", { className: "desk-see-also" }, [
      el("div", { className: "desk-see-also__text" }, [
        el("span", { className: "desk-see-also__label" }, ["SEE ALSO: "]),
        this.title,
        this.note,
      ]),
      el("div", { className: "desk-see-also__actions" }, [this.up, this.down, this.remove]),
    ]);
    this.render();
  }

  button(text, className, action) {
    const button = el("button", { type: "button", className, textContent: text });
    button.addEventListener("click", (event) => {
      event.preventDefault();
      action();
    });
    return button;
  }

  render() {
    const { target, title, state } = this.node.attrs;
    const outside = isOutside(target);
    const name = title || (outside ? target : `article number ${target}`);
    this.title.textContent = name;
    let note = NOTES[state] || (state ? `${state}: hidden from readers` : "");
    if (outside) {
      note = `Outside link: ${hostOf(target)}`;
    }
    this.note.textContent = note;
    this.note.hidden = !note;
    this.dom.classList.toggle("desk-see-also--hidden", Boolean(state) && !outside);
    this.up.setAttribute("aria-label", `Move the SEE ALSO box “${name}” up`);
    this.down.setAttribute("aria-label", `Move the SEE ALSO box “${name}” down`);
    this.remove.setAttribute("aria-label", `Remove the SEE ALSO box “${name}”`);
    this.up.title = "Move up (Alt+↑)";
    this.down.title = "Move down (Alt+↓)";
  }

  move(direction) {
    this.editor.chain().focus().moveSeeAlso(this.getPos(), direction).run();
  }

  delete() {
    const pos = this.getPos();
    this.editor
      .chain()
      .focus()
      .deleteRange({ from: pos, to: pos + this.node.nodeSize })
      .run();
  }

  update(node) {
    if (node.type !== this.node.type) {
      return false;
    }
    this.node = node;
    this.render();
    return true;
  }

  // The buttons are ours; dragging and selecting the box are the editor's.
  stopEvent(event) {
    return event.target instanceof Element && event.target.closest("button") !== null;
  }

  ignoreMutation() {
    return true;
  }
}

function hostOf(address) {
  try {
    return new URL(address).hostname;
  } catch {
    return address;
  }
}

// Boxes stay between top-level blocks: one pasted on its own goes where the toolbar would put
// it (not splitting a paragraph), and any that find their way into a list or quote (a drop,
// a paste with text) go back to the top level, after the block they were put in.
function keepAtTopLevel(type) {
  return new Plugin({
    props: {
      handlePaste(view, _event, slice) {
        const node = slice.content.childCount === 1 ? slice.content.firstChild : null;
        if (!node || node.type !== type) {
          return false;
        }
        view.dispatch(insertAt(view.state.tr, placeFor(view.state.selection), node));
        return true;
      },
    },
    appendTransaction(transactions, _oldState, state) {
      if (!transactions.some((tr) => tr.docChanged)) {
        return null;
      }
      const nested = [];
      state.doc.forEach((block, offset) => {
        block.descendants((node, pos) => {
          if (node.type === type) {
            nested.push({ node, pos: offset + 1 + pos, after: offset + block.nodeSize });
          }
        });
      });
      if (!nested.length) {
        return null;
      }
      const tr = state.tr;
      for (const { node, pos, after } of nested.reverse()) {
        const from = tr.mapping.map(pos);
        tr.delete(from, from + node.nodeSize);
        tr.insert(tr.mapping.map(after), node);
      }
      return tr;
    },
  });
}

export function openChooser(editor) {
  let mode = "ours";
  const place = (attrs) => {
    editor.chain().insertSeeAlso(attrs).run();
    close();
  };
  const picker = articlePicker({
    label: "Search our articles by headline or number",
    exclude: () => placedArticles(editor.state.doc),
    unavailable: (result) =>
      listedAtTheEnd().has(result.id) ? "in the list at the end: take it off that list first" : null,
    onChoose: (result) =>
      place({
        target: String(result.id),
        title: result.headline,
        state: result.state === "live" ? null : result.state,
      }),
  });
  const urlId = uniqueId("desk-see-also-url");
  const titleId = uniqueId("desk-see-also-title");
  const url = el("input", { type: "text", inputMode: "url", id: urlId, maxLength: 500 });
  const title = el("input", { type: "text", id: titleId, maxLength: 250 });
  const outside = el("div", { className: "desk-chooser__outside", hidden: true }, [
    el("label", { for: urlId }, ["Address of the page (http or https)"]),
    url,
    el("label", { for: titleId }, ["Title readers will see"]),
    title,
  ]);
  const modes = el("fieldset", { className: "desk-chooser__modes" }, [
    el("legend", {}, ["Link to"]),
    ...[
      ["ours", "One of our articles"],
      ["outside", "An outside page"],
    ].map(([value, text]) =>
      el("label", {}, [
        el("input", { type: "radio", name: "desk-see-also-mode", value, checked: value === mode }),
        ` ${text}`,
      ]),
    ),
  ]);

  function show(chosen) {
    mode = chosen;
    picker.element.hidden = mode !== "ours";
    outside.hidden = mode !== "outside";
    dialog.querySelector("button[value=add]").hidden = mode !== "outside";
    (mode === "ours" ? picker.input : url).focus();
  }

  function addOutside() {
    const address = httpAddress(url.value);
    url.setCustomValidity(
      address ? "" : "Enter the page’s full address, starting with http:// or https://.",
    );
    title.setCustomValidity(title.value.trim() ? "" : "Give the outside page a title.");
    if (!url.reportValidity() || !title.reportValidity()) {
      return false;
    }
    url.value = address;
    editor
      .chain()
      .insertSeeAlso({ target: address, title: title.value.trim(), state: null })
      .run();
    return true;
  }

  const { dialog, close } = openDialog({
    title: "Add a SEE ALSO box",
    className: "desk-chooser",
    build: () => el("div", {}, [modes, picker.element, outside]),
    buttons: [
      { label: "Add the box", value: "add", primary: true },
      { label: "Cancel", value: "cancel" },
    ],
    onButton: (value) => value === "cancel" || (mode === "outside" && addOutside()),
    returnFocus: () => editor.view.focus(),
  });
  modes.addEventListener("change", (event) => show(event.target.value));
  for (const input of [url, title]) {
    input.addEventListener("input", () => input.setCustomValidity(""));
  }
  show("ours");
  picker.search();
  return dialog;
}

export const SeeAlso = Node.create({
  name: "seeAlso",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    const data = (name) => ({
      default: null,
      parseHTML: (element) => element.getAttribute(`data-${name}`)?.trim() || null,
      renderHTML: (attributes) => ({ [`data-${name}`]: attributes[name] }),
    });
    return {
      target: { ...data("see-also"), renderHTML: ({ target }) => ({ "data-see-also": target }) },
      title: { ...data("title"), renderHTML: ({ title }) => (title ? { "data-title": title } : {}) },
      state: { ...data("state"), renderHTML: ({ state }) => (state ? { "data-state": state } : {}) },
    };
  },

  parseHTML() {
    return [
      {
        tag: "div[data-see-also]",
        getAttrs: (element) => (element.getAttribute("data-see-also").trim() ? null : false),
      },
    ];
  },

  renderHTML({ HTMLAttributes }) {
    return ["div", HTMLAttributes];
  },

  // Not part of the story's text (word count, plain-text copies).
  renderText() {
    return "";
  },

  addNodeView() {
    return (props) => new SeeAlsoView(props);
  },

  addCommands() {
    return {
      insertSeeAlso:
        (attrs) =>
        ({ state, tr, dispatch }) => {
          if (dispatch) {
            insertAt(tr, placeFor(state.selection), this.type.create(attrs));
          }
          return true;
        },
      moveSeeAlso:
        (pos, direction) =>
        ({ state, tr, dispatch }) => {
          const node = state.doc.nodeAt(pos);
          const $pos = state.doc.resolve(pos);
          const index = $pos.index(0) + direction;
          if (!node || node.type !== this.type || $pos.depth !== 0) {
            return false;
          }
          if (index < 0 || index >= state.doc.childCount) {
            return false;
          }
          if (dispatch) {
            const other = state.doc.child(index);
            const target = direction < 0 ? pos - other.nodeSize : pos + other.nodeSize;
            tr.delete(pos, pos + node.nodeSize);
            tr.insert(target, node);
            tr.setSelection(NodeSelection.create(tr.doc, target));
            tr.scrollIntoView();
          }
          return true;
        },
    };
  },

  addKeyboardShortcuts() {
    const move = (direction) => () => {
      const { selection } = this.editor.state;
      return (
        isNodeSelection(selection) &&
        selection.node.type === this.type &&
        this.editor.commands.moveSeeAlso(selection.from, direction)
      );
    };
    return { "Alt-ArrowUp": move(-1), "Alt-ArrowDown": move(1) };
  },

  addProseMirrorPlugins() {
    return [keepAtTopLevel(this.type)];
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "seeAlso",
      groups: "nodes",
      button: buttons.text("SEE ALSO", "Add a SEE ALSO box"),
      command(editor) {
        openChooser(editor);
      },
      active: (editor) => editor.isActive("seeAlso"),
    });
  },
});
