/* Images in the article body (articles/models/images.py). The body stores a marker,
   <figure data-image="12"></figure>, and the editor shows the image it names. "Insert an
   image" uploads a new one (alt text required; caption and credit optional) or chooses one
   already uploaded. The server (articles/images/views.py) checks and re-encodes every upload
   and answers in JSON; pages and feeds render each marker from the image's row. Registered
   with django-prose-editor through DJANGO_PROSE_EDITOR_EXTENSIONS (newsroom/settings.py). */
import { crel, gettext, Node } from "django-prose-editor/editor"

// What the server said about each image, by id: a promise of its description (or null).
const described = new Map()
let fieldCount = 0

const FIELD_LABELS = {
  file: gettext("Image file"),
  alt: gettext("Alt text"),
  caption: gettext("Caption"),
  credit: gettext("Credit"),
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]")
  return input ? input.value : ""
}

async function getJSON(url) {
  const response = await fetch(url, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`)
  }
  return response.json()
}

function describe(chooserUrl, id) {
  const key = String(id)
  if (!described.has(key)) {
    const url = `${chooserUrl}?id=${encodeURIComponent(key)}`
    described.set(
      key,
      getJSON(url)
        .then((data) => data.images[0] || null)
        .catch(() => null),
    )
  }
  return described.get(key)
}

function remember(info) {
  described.set(String(info.id), Promise.resolve(info))
}

function insert(editor, id) {
  editor
    .chain()
    .focus()
    .insertContent({ type: "bodyImage", attrs: { id: String(id) } })
    .run()
}

function summary(info) {
  const parts = [`${gettext("Alt text")}: ${info.alt}`]
  if (info.caption) parts.push(`${gettext("Caption")}: ${info.caption}`)
  if (info.credit) parts.push(`${gettext("Credit")}: ${info.credit}`)
  return parts.join(" · ")
}

function field(label, input) {
  input.id = `desk-body-image-field-${++fieldCount}`
  return crel("div", { className: "prose-editor-dialog-field" }, [
    crel("label", { htmlFor: input.id, textContent: label }),
    input,
  ])
}

function textInput(name, maxLength, required = false) {
  return crel("input", { type: "text", name, maxLength, size: 50, required })
}

function showErrors(box, errors) {
  const lines = Object.entries(errors).flatMap(([name, messages]) =>
    messages.map((message) =>
      FIELD_LABELS[name] ? `${FIELD_LABELS[name]}: ${message}` : message,
    ),
  )
  box.replaceChildren(...lines.map((line) => crel("span", { textContent: line })))
  box.hidden = false
}

async function listRecent(chooserUrl, list, choose) {
  list.replaceChildren(crel("li", { textContent: gettext("Loading…") }))
  try {
    const { images } = await getJSON(chooserUrl)
    if (!images.length) {
      list.replaceChildren(
        crel("li", { textContent: gettext("No image has been uploaded yet.") }),
      )
      return
    }
    list.replaceChildren(
      ...images.map((info) => {
        remember(info)
        const button = crel(
          "button",
          { type: "button", className: "desk-body-image-chooser__choice", title: info.alt },
          [
            crel("img", { src: info.thumbnail, alt: "" }),
            crel("span", { textContent: info.alt }),
          ],
        )
        button.addEventListener("click", () => choose(info))
        return crel("li", {}, [button])
      }),
    )
  } catch {
    list.replaceChildren(
      crel("li", { textContent: gettext("The list of images could not be loaded.") }),
    )
  }
}

function openDialog(editor, { uploadUrl, chooserUrl }) {
  const file = crel("input", {
    type: "file",
    name: "file",
    accept: "image/jpeg,image/png,image/webp",
    required: true,
  })
  const alt = textInput("alt", 250, true)
  const errors = crel("p", { className: "errornote desk-body-image-errors", role: "alert" })
  errors.hidden = true
  const upload = crel("button", { type: "submit", textContent: gettext("Upload and insert") })
  const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
  const recent = crel("ul", { className: "desk-body-image-chooser" })
  const form = crel("form", {}, [
    crel("h3", { className: "prose-editor-dialog-title", textContent: gettext("Insert an image") }),
    field(gettext("Image file (JPEG, PNG or WebP)"), file),
    field(gettext("Alt text (required): what the image shows, for readers who cannot see it"), alt),
    field(gettext("Caption"), textInput("caption", 300)),
    field(gettext("Credit"), textInput("credit", 150)),
    errors,
    crel("div", { className: "prose-editor-dialog-buttons" }, [upload, cancel]),
    crel("h4", { textContent: gettext("Or choose an image already uploaded") }),
    recent,
  ])
  const dialog = crel("dialog", { className: "prose-editor-dialog desk-body-image-dialog" }, [
    form,
  ])
  editor.view.dom.parentElement.append(dialog)
  dialog.addEventListener("close", () => dialog.remove())
  cancel.addEventListener("click", () => dialog.close())

  const choose = (info) => {
    dialog.close()
    insert(editor, info.id)
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    event.stopPropagation() // the article's own form must not see this one's submit
    if (!form.reportValidity()) return
    upload.disabled = true
    errors.hidden = true
    try {
      const response = await fetch(uploadUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: new FormData(form),
      })
      const answer = await response.json().catch(() => ({}))
      if (response.status === 201) {
        remember(answer)
        choose(answer)
        return
      }
      showErrors(
        errors,
        answer.errors || { __all__: [gettext("The upload failed; try again.")] },
      )
    } catch {
      showErrors(errors, {
        __all__: [gettext("The upload failed: the connection was lost. Try again.")],
      })
    } finally {
      upload.disabled = false
    }
  })

  listRecent(chooserUrl, recent, choose)
  dialog.showModal()
}

export const BodyImage = Node.create({
  name: "bodyImage",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { uploadUrl: null, chooserUrl: null }
  },

  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-image"),
        renderHTML: (attributes) => ({ "data-image": attributes.id }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-image]", priority: 100 }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes]
  },

  addNodeView() {
    const { chooserUrl } = this.options
    return ({ node }) => {
      const preview = crel("img", { alt: "", className: "desk-body-image__preview" })
      const text = crel("figcaption", {
        className: "desk-body-image__text",
        textContent: gettext("Image"),
      })
      const dom = crel("figure", { className: "desk-body-image" }, [preview, text])
      dom.contentEditable = "false"
      describe(chooserUrl, node.attrs.id).then((info) => {
        if (!info) {
          dom.classList.add("desk-body-image--missing")
          text.textContent = gettext("This image does not exist; readers will not see it.")
          return
        }
        preview.src = info.thumbnail
        text.textContent = summary(info)
      })
      return { dom }
    }
  },

  addCommands() {
    return {
      insertBodyImage:
        () =>
        ({ editor }) => {
          openDialog(editor, this.options)
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "bodyImage",
      groups: "nodes",
      command(editor) {
        editor.commands.insertBodyImage()
      },
      button: buttons.material("image", gettext("Insert an image")),
      option: crel("p", { textContent: gettext("image") }),
    })
  },
})
