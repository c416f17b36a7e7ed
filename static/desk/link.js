/* The body's link dialog: a web address (http, https or mailto), or one of our articles found
   by headline, which links to its public address (/articles/<slug>/: a plain href, and once
   the article has been published a later change of slug keeps the old address as a redirect).
   It replaces django-prose-editor's link dialog and menu button, and keeps its Link mark. */

import { Link } from "django-prose-editor/editor";
import { articlePicker, el, openDialog, uniqueId } from "newsroom-desk/dialogs";

// A typed address as an href we accept (our own path, http, https, mailto), or null.
export function linkAddress(typed) {
  let value = (typed || "").trim();
  if (/^\/(?!\/)/.test(value)) {
    return value; // a path on this site
  }
  if (/^[^\s@/:]+@[^\s@/]+\.[^\s@/]+$/.test(value)) {
    value = `mailto:${value}`;
  } else if (!/^[a-z][a-z0-9+.-]*:/i.test(value) && /^[^\s/]+\.[^\s.]+/.test(value)) {
    value = `https://${value}`;
  }
  try {
    const url = new URL(value);
    if (url.protocol === "mailto:") {
      return /^mailto:[^\s@]+@[^\s@]+$/.test(value) ? value : null;
    }
    return ["http:", "https:"].includes(url.protocol) && url.hostname ? url.href : null;
  } catch {
    return null;
  }
}

function applyLink(editor, href, text) {
  const chain = editor.chain();
  if (editor.isActive("link")) {
    chain.extendMarkRange("link").setLink({ href });
  } else if (!editor.state.selection.empty) {
    chain.setLink({ href });
  } else {
    // Nothing selected: the article's headline (or the address) becomes the linked text.
    chain
      .insertContent({ type: "text", text, marks: [{ type: "link", attrs: { href } }] })
      .unsetMark("link");
  }
  chain.run();
}

export function openLinkDialog(editor) {
  const current = editor.isActive("link") ? editor.getAttributes("link").href || "" : "";
  let close = null;
  const picker = articlePicker({
    label: "Link to one of our articles: search by headline or number",
    onChoose: (result) => {
      applyLink(editor, result.url, result.headline);
      close();
    },
    unavailable: (result) => (result.url ? null : "no address until it is published"),
  });
  const addressId = uniqueId("desk-link-address");
  const address = el("input", {
    type: "text",
    id: addressId,
    value: current,
    inputMode: "url",
    autocomplete: "off",
    spellcheck: false,
  });
  address.addEventListener("input", () => address.setCustomValidity(""));

  function linkTo() {
    const href = linkAddress(address.value);
    address.setCustomValidity(
      href ? "" : "Enter an address starting with https://, http:// or mailto:, or choose an article.",
    );
    if (!address.reportValidity()) {
      return false;
    }
    applyLink(editor, href, address.value.trim());
    return true;
  }

  const buttons = [
    { label: current ? "Update the link" : "Add the link", value: "link", primary: true },
    current ? { label: "Remove the link", value: "unlink" } : null,
    { label: "Cancel", value: "cancel" },
  ].filter(Boolean);
  const dialog = openDialog({
    title: current ? "Edit the link" : "Add a link",
    className: "desk-link-dialog",
    build: () =>
      el("div", {}, [
        el("div", { className: "desk-link-dialog__address" }, [
          el("label", { for: addressId }, ["Web address (https://…, mailto:…)"]),
          address,
        ]),
        picker.element,
      ]),
    buttons,
    onButton(value) {
      if (value === "unlink") {
        editor.chain().extendMarkRange("link").unsetLink().run();
        return true;
      }
      return value === "cancel" || linkTo();
    },
    returnFocus: () => editor.view.focus(),
  });
  close = dialog.close;
  address.focus();
  picker.search();
  return dialog.dialog;
}

export const DeskLink = Link.extend({
  addCommands() {
    return {
      ...this.parent?.(),
      addLink:
        () =>
        ({ editor, dispatch }) => {
          if (dispatch) {
            openLinkDialog(editor);
          }
          return true;
        },
    };
  },

  addMenuItems({ menu, buttons }) {
    this.parent?.({ menu, buttons });
    // With nothing selected, the dialog inserts the linked text itself.
    menu.defineItem({
      name: "link",
      groups: "link",
      command: (editor) => openLinkDialog(editor),
      button: buttons.material("insert_link", "insert link"),
      active: (editor) => editor.isActive("link"),
    });
  },
});
