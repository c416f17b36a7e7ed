/* Paste clean-up for the article body: what comes from Google Docs, Word or a web page is
   brought down to what the body allows before the editor reads it.

   - Google Docs' wrapper (<b style="font-weight:normal" id="docs-internal-guid-…">, which
     would make everything bold) goes; its bold, italic, underline, strike, superscript and
     subscript (inline styles on spans) become the tags; every style, class and id goes.
   - Headings stay headings, at the body's levels (h2 to h4): the top level pasted (an h1, or
     Word's Title above its Heading 1) becomes h2 and the others follow; deeper ones are h4.
   - Word's list paragraphs (class MsoListParagraph…, style mso-list:l0 level1) become real
     lists, nested by level, numbered or bulleted by their marker; its quotes become quotes.
   - Tables, which the body does not hold, become one paragraph per row, the cells apart
     (" · "), header rows in bold.
   - Word's and Office's own tags (<o:p>, <v:…>, conditional comments), empty paragraphs,
     line breaks between blocks, anchors and links the body does not allow (only http, https,
     mailto and our own paths) go; Google's redirect links lead straight to their page. */

import { Extension } from "django-prose-editor/editor";

const BLOCKS = "p, div, h1, h2, h3, h4, h5, h6, ul, ol, li, blockquote, pre, table, figure, hr";
const DROPPED = "script, style, meta, link, title, head, xml, template, noscript, iframe, object, embed, button, input, select, textarea, form, canvas, video, audio";
const KEPT_ATTRIBUTES = {
  a: ["href", "title"],
  ol: ["start"],
  img: ["src", "alt", "width", "height"],
};
const MSO_LIST = /^l(\d+)\s+level(\d+)/i;
const SEPARATOR = " · ";
// Inline styles are read from this attribute: under the desk's Content Security Policy the
// browser refuses to parse style attributes, even in a document that is never shown.
const STYLE = "data-pasted-style";

// The pasted HTML with its style attributes renamed and its style sheets gone, to parse.
function withoutStyles(html) {
  return html
    .replace(/<style[\s\S]*?<\/style\s*>/gi, "")
    .replace(/<[a-z][^>]*>/gi, (tag) => tag.replace(/(\s)style(\s*=)/gi, `$1${STYLE}$2`));
}

export function cleanPastedHTML(html) {
  const doc = new DOMParser().parseFromString(withoutStyles(html), "text/html");
  const root = doc.body;
  removeComments(root);
  root.querySelectorAll(DROPPED).forEach((node) => node.remove());
  officeTags(root);
  root.querySelectorAll('b[id^="docs-internal-guid"]').forEach(unwrap);
  wordLists(root);
  nestedLists(root);
  wordQuotes(root);
  headings(root);
  stylesToTags(root);
  tablesToParagraphs(root);
  links(root);
  root.querySelectorAll("span, font").forEach(unwrap);
  attributes(root);
  breaksAndEmpties(root);
  spaces(root);
  return root.innerHTML;
}

function unwrap(element) {
  element.replaceWith(...element.childNodes);
}

function rename(element, tagName) {
  const renamed = element.ownerDocument.createElement(tagName);
  renamed.append(...element.childNodes);
  for (const { name, value } of element.attributes) {
    if (name.startsWith("data-")) {
      renamed.setAttribute(name, value);
    }
  }
  element.replaceWith(renamed);
  return renamed;
}

// An element's inline style as { property: value }, lower case, without "!important".
function styleOf(element) {
  const style = {};
  for (const declaration of (element.getAttribute(STYLE) || "").split(";")) {
    const colon = declaration.indexOf(":");
    if (colon > 0) {
      const property = declaration.slice(0, colon).trim().toLowerCase();
      style[property] = declaration.slice(colon + 1).replace(/!important/i, "").trim().toLowerCase();
    }
  }
  return style;
}

function isEmpty(element) {
  return !element.textContent.replace(/[\s\u00a0]/g, "") && !element.querySelector("img, [data-see-also]");
}

function removeComments(root) {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) {
    comments.push(walker.currentNode);
  }
  comments.forEach((comment) => comment.remove());
}

// <o:p>, <st1:place>, <w:sdt>: Office's own elements. VML drawings go; the others give up
// their text.
function officeTags(root) {
  for (const element of [...root.querySelectorAll("*")].reverse()) {
    if (!element.localName.includes(":")) {
      continue;
    }
    if (element.localName.startsWith("v:") || (element.localName === "o:p" && isEmpty(element))) {
      element.remove();
    } else {
      unwrap(element);
    }
  }
}

// Word's list paragraphs, one run of adjacent ones at a time, into nested lists.
function wordLists(root) {
  const runs = [];
  for (const paragraph of root.querySelectorAll("p")) {
    const found = (styleOf(paragraph)["mso-list"] || "").match(MSO_LIST);
    if (!found) {
      continue;
    }
    const marker = [...paragraph.querySelectorAll("span")].find(
      (span) => styleOf(span)["mso-list"] === "ignore",
    );
    const text = marker ? marker.textContent.replace(/[\s\u00a0]/g, "") : "";
    marker?.remove();
    const item = {
      paragraph,
      level: Number(found[2]),
      ordered: /^\(?([0-9]+|[a-z]{1,5})[.)]$/i.test(text),
      start: /^\d+/.test(text) ? Number.parseInt(text, 10) : 1,
    };
    const run = runs.at(-1);
    if (run && paragraph.previousElementSibling === run.at(-1).paragraph) {
      run.push(item);
    } else {
      runs.push([item]);
    }
  }
  for (const run of runs) {
    const doc = root.ownerDocument;
    const lists = [];
    const open = []; // { level, ordered, list }, innermost last
    for (const { paragraph, level, ordered, start } of run) {
      while (open.length && open.at(-1).level > level) {
        open.pop();
      }
      if (open.length && open.at(-1).level === level && open.at(-1).ordered !== ordered) {
        open.pop();
      }
      let current = open.at(-1);
      if (!current || current.level < level) {
        const list = doc.createElement(ordered ? "ol" : "ul");
        if (ordered && start > 1) {
          list.setAttribute("start", start);
        }
        if (current) {
          (current.list.lastElementChild || current.list.appendChild(doc.createElement("li"))).append(list);
        } else {
          lists.push(list);
        }
        current = { level, ordered, list };
        open.push(current);
      }
      const item = doc.createElement("li");
      const text = doc.createElement("p");
      text.append(...paragraph.childNodes);
      item.append(text);
      current.list.append(item);
    }
    run[0].paragraph.before(...lists);
    run.forEach(({ paragraph }) => paragraph.remove());
  }
}

// A list directly inside a list (Google Docs nests them so) belongs to the item before it.
function nestedLists(root) {
  for (const list of root.querySelectorAll(":is(ul, ol) > :is(ul, ol)")) {
    const previous = list.previousElementSibling;
    if (previous && previous.localName === "li") {
      previous.append(list);
    } else {
      const item = root.ownerDocument.createElement("li");
      list.before(item);
      item.append(list);
    }
  }
}

function wordQuotes(root) {
  for (const paragraph of root.querySelectorAll("p.MsoQuote, p.MsoIntenseQuote")) {
    const previous = paragraph.previousElementSibling;
    const quote =
      previous && previous.localName === "blockquote"
        ? previous
        : paragraph.ownerDocument.createElement("blockquote");
    if (quote !== previous) {
      paragraph.before(quote);
    }
    quote.append(paragraph);
  }
}

function headingLevel(element) {
  const tag = element.localName.match(/^h([1-6])$/);
  if (tag) {
    return Number(tag[1]);
  }
  if (element.classList.contains("MsoTitle")) {
    return 0; // above Word's Heading 1
  }
  const word = [...element.classList].map((name) => name.match(/^MsoHeading([1-9])$/)).find(Boolean);
  return word ? Number(word[1]) : null;
}

function headings(root) {
  const found = [...root.querySelectorAll("h1, h2, h3, h4, h5, h6, p[class*=Mso]")]
    .map((element) => ({ element, level: headingLevel(element) }))
    .filter(({ level }) => level !== null);
  // The top level pasted becomes the body's h2 (an h2 stays an h2), and the others follow.
  const shift = Math.max(0, 2 - Math.min(...found.map(({ level }) => level)));
  for (const { element, level } of found) {
    const wanted = Math.min(level + shift, 4);
    if (isEmpty(element)) {
      element.remove();
    } else if (element.localName !== `h${wanted}`) {
      rename(element, `h${wanted}`);
    }
  }
}

// Formatting carried by inline styles (Google Docs, some web pages) as the body's own tags.
function stylesToTags(root) {
  for (const element of root.querySelectorAll(`[${STYLE}]`)) {
    const style = styleOf(element);
    const weight = style["font-weight"] || "";
    const plain = weight === "normal" || (Number(weight) > 0 && Number(weight) < 600);
    if ((element.localName === "b" || element.localName === "strong") && plain) {
      unwrap(element);
      continue;
    }
    if (!element.matches("span, font, a, p, li, td, th, div")) {
      continue;
    }
    const decoration = `${style["text-decoration-line"]} ${style["text-decoration"]}`;
    const wrappers = [];
    if (/^(bold|bolder)$/.test(weight) || Number(weight) >= 600) {
      if (!element.closest("h1, h2, h3, h4, h5, h6")) {
        wrappers.push("strong");
      }
    }
    if (/italic|oblique/.test(style["font-style"])) {
      wrappers.push("em");
    }
    if (decoration.includes("underline") && !element.closest("a")) {
      wrappers.push("u");
    }
    if (decoration.includes("line-through")) {
      wrappers.push("s");
    }
    if (style["vertical-align"] === "super") {
      wrappers.push("sup");
    } else if (style["vertical-align"] === "sub") {
      wrappers.push("sub");
    }
    for (const tagName of wrappers) {
      const wrapper = root.ownerDocument.createElement(tagName);
      wrapper.append(...element.childNodes);
      element.append(wrapper);
    }
  }
}

function cellContent(cell) {
  const fragment = cell.ownerDocument.createDocumentFragment();
  fragment.append(...cell.childNodes);
  fragment.querySelectorAll("br").forEach((br) => br.replaceWith(" "));
  for (const block of fragment.querySelectorAll(`${BLOCKS}, tr, td, th, tbody, thead, tfoot`)) {
    block.after(" ");
    unwrap(block);
  }
  return fragment;
}

function tablesToParagraphs(root) {
  for (const table of [...root.querySelectorAll("table")].reverse()) {
    const doc = root.ownerDocument;
    const paragraphs = [];
    for (const row of table.rows) {
      const cells = [...row.cells].map(cellContent).filter((cell) => cell.textContent.trim());
      if (!cells.length) {
        continue;
      }
      const header =
        row.parentElement.localName === "thead" || [...row.cells].every((cell) => cell.localName === "th");
      const paragraph = doc.createElement("p");
      const target = header ? paragraph.appendChild(doc.createElement("strong")) : paragraph;
      cells.forEach((cell, index) => target.append(index ? SEPARATOR : "", cell));
      paragraphs.push(paragraph);
    }
    table.replaceWith(...paragraphs);
  }
}

function links(root) {
  for (const link of root.querySelectorAll("a")) {
    let href = (link.getAttribute("href") || "").trim();
    // Google Docs and Gmail lead links through google.com/url?q=<the page>.
    const redirect = href.match(/^https?:\/\/(www\.)?google\.[a-z.]+\/url\?/i);
    if (redirect) {
      href = new URL(href).searchParams.get("q") || "";
    }
    if (/^(https?:|mailto:)/i.test(href) || /^\/(?!\/)/.test(href)) {
      link.setAttribute("href", href);
    } else {
      unwrap(link); // an anchor, a link within the page it came from, javascript:, …
    }
  }
}

function attributes(root) {
  for (const element of root.querySelectorAll("*")) {
    const kept = KEPT_ATTRIBUTES[element.localName] || [];
    for (const { name } of [...element.attributes]) {
      if (!kept.includes(name) && (!name.startsWith("data-") || name === STYLE)) {
        element.removeAttribute(name);
      }
    }
  }
}

function isBlock(node) {
  return node === null || (node.nodeType === Node.ELEMENT_NODE && node.matches(BLOCKS));
}

function sibling(node, direction) {
  let next = node[direction];
  while (next && next.nodeType === Node.TEXT_NODE && !next.textContent.trim()) {
    next = next[direction];
  }
  return next;
}

// Nothing follows `node` in its block (through the inline elements around it).
function endsBlock(node, root) {
  for (let current = node; current !== root; current = current.parentElement) {
    if (sibling(current, "nextSibling") !== null) {
      return false;
    }
    if (isBlock(current.parentElement)) {
      return current.parentElement !== root;
    }
  }
  return false;
}

// Line breaks between blocks or ending one, and blocks with nothing in them.
function breaksAndEmpties(root) {
  for (const br of root.querySelectorAll("br")) {
    const before = sibling(br, "previousSibling");
    const after = sibling(br, "nextSibling");
    if ((isBlock(before) && isBlock(after)) || endsBlock(br, root)) {
      br.remove();
    }
  }
  for (const block of [...root.querySelectorAll("p, h2, h3, h4, li, ul, ol, blockquote")].reverse()) {
    if (isEmpty(block) && !block.hasAttribute("data-pm-slice")) {
      block.remove();
    }
  }
}

// Runs of spaces (Word pads with non-breaking ones) as one space; a single one is kept as typed.
function spaces(root) {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode;
    text.textContent = text.textContent.replace(/[ \u00a0]{2,}/g, " ");
  }
}

export const PasteCleanup = Extension.create({
  name: "pasteCleanup",

  transformPastedHTML(html) {
    return cleanPastedHTML(html);
  },
});
