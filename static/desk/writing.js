/* Writing comfort in the article body:
   - Spellcheck: the browser's spellcheck, which django-prose-editor turns off by default (its
     NoSpellCheck extension, disabled for the body), on.
   - WordCount: "612 words · 3 min read" under the editor, at 230 words a minute (at least one
     minute when there is text), in a polite live region updated once typing pauses, so that a
     screen reader is not told of every keystroke. SEE ALSO boxes do not count. */

import { Extension, pm } from "django-prose-editor/editor";

const { Plugin } = pm.state;
const locale = document.documentElement.lang || undefined;

export const Spellcheck = Extension.create({
  name: "spellcheck",

  addProseMirrorPlugins() {
    return [new Plugin({ props: { attributes: { spellcheck: "true" } } })];
  },
});

export function countWords(text) {
  let words = 0;
  for (const segment of new Intl.Segmenter(locale, { granularity: "word" }).segment(text)) {
    if (segment.isWordLike) {
      words += 1;
    }
  }
  return words;
}

export function describeLength(words, wordsPerMinute = 230) {
  if (!words) {
    return "0 words";
  }
  const minutes = Math.max(1, Math.round(words / wordsPerMinute));
  const count = words.toLocaleString(locale);
  return `${count} ${words === 1 ? "word" : "words"} · ${minutes} min read`;
}

export const WordCount = Extension.create({
  name: "wordCount",

  addOptions() {
    return { wordsPerMinute: 230, delayMs: 1000 };
  },

  addStorage() {
    return { output: null, timer: null };
  },

  onCreate() {
    const output = document.createElement("p");
    output.className = "desk-word-count";
    output.setAttribute("role", "status"); // polite: read out when the reader pauses
    this.editor.view.dom.closest(".prose-editor").after(output);
    this.storage.output = output;
    this.storage.show = () => {
      const text = this.editor.getText({ blockSeparator: "\n" });
      const description = describeLength(countWords(text), this.options.wordsPerMinute);
      if (output.textContent !== description) {
        output.textContent = description;
      }
    };
    this.storage.show();
  },

  onUpdate() {
    clearTimeout(this.storage.timer);
    this.storage.timer = setTimeout(this.storage.show, this.options.delayMs);
  },

  onDestroy() {
    clearTimeout(this.storage.timer);
    this.storage.output?.remove();
  },
});
