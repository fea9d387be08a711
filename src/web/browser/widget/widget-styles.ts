/**
 * The widget's styles, inside its shadow root. Theme it from the host page with these custom
 * properties on `tierlift-prompt` (or any ancestor); every one has a default with AA contrast:
 *
 * | property                     | default                   | what it colours                 |
 * |------------------------------|---------------------------|---------------------------------|
 * | `--tierlift-accent`          | `#0b57d0`                 | primary button, focus ring      |
 * | `--tierlift-accent-contrast` | `#ffffff`                 | text on the accent              |
 * | `--tierlift-background`      | `#ffffff`                 | card and dialog background      |
 * | `--tierlift-foreground`      | `#1b1b1f`                 | text                            |
 * | `--tierlift-muted`           | `#4a4a55`                 | secondary text                  |
 * | `--tierlift-border`          | `#c7c7d1`                 | card and table borders          |
 * | `--tierlift-success`         | `#146c2e`                 | guarantee badge, success text   |
 * | `--tierlift-radius`          | `12px`                    | card, dialog and button corners |
 * | `--tierlift-font`            | `system-ui, sans-serif`   | font family                     |
 * | `--tierlift-font-size`       | `1rem`                    | base font size                  |
 *
 * Logical properties only (margin-inline, padding-block, text-align: start…), so right-to-left
 * locales mirror without extra rules; no motion when the user asks for reduced motion.
 */
export const WIDGET_STYLES = `
:host {
  --_accent: var(--tierlift-accent, #0b57d0);
  --_on-accent: var(--tierlift-accent-contrast, #ffffff);
  --_bg: var(--tierlift-background, #ffffff);
  --_fg: var(--tierlift-foreground, #1b1b1f);
  --_muted: var(--tierlift-muted, #4a4a55);
  --_border: var(--tierlift-border, #c7c7d1);
  --_success: var(--tierlift-success, #146c2e);
  --_radius: var(--tierlift-radius, 12px);
  display: block;
  font-family: var(--tierlift-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
  font-size: var(--tierlift-font-size, 1rem);
  line-height: 1.5;
  color: var(--_fg);
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.prompt {
  background: var(--_bg);
  border: 1px solid var(--_border);
  border-radius: var(--_radius);
  padding-block: 1rem;
  padding-inline: 1.25rem;
  margin-block-end: 0.75rem;
  animation: tierlift-in 180ms ease-out;
}
@keyframes tierlift-in { from { opacity: 0; transform: translateY(4px); } to { opacity: 1; transform: none; } }
h2, h3 { margin-block: 0 0.5rem; font-size: 1.15em; line-height: 1.3; }
h3 { font-size: 1em; }
p { margin-block: 0 0.5rem; }
ul { margin-block: 0 0.75rem; padding-inline-start: 1.25rem; }
.price { font-weight: 600; font-size: 1.1em; }
.terms, .muted, .reason { color: var(--_muted); font-size: 0.9em; }
.savings { color: var(--_success); font-weight: 600; }
.badge {
  display: inline-block;
  border: 1px solid var(--_success);
  color: var(--_success);
  border-radius: 999px;
  padding-block: 0.1rem;
  padding-inline: 0.6rem;
  font-size: 0.85em;
  margin-block-end: 0.5rem;
}
details { margin-block: 0.5rem; }
summary { cursor: pointer; color: var(--_muted); }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-block-start: 0.75rem; align-items: center; }
button {
  font: inherit;
  border-radius: calc(var(--_radius) / 1.5);
  border: 1px solid var(--_border);
  background: var(--_bg);
  color: var(--_fg);
  padding-block: 0.45rem;
  padding-inline: 0.9rem;
  cursor: pointer;
  min-block-size: 2.5rem;
}
button.primary { background: var(--_accent); border-color: var(--_accent); color: var(--_on-accent); font-weight: 600; }
button.link { border-color: transparent; background: transparent; text-decoration: underline; padding-inline: 0.4rem; }
button:focus-visible, summary:focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; }
button[disabled] { opacity: 0.6; cursor: progress; }
.note { border-inline-start: 4px solid var(--_accent); padding-inline-start: 0.75rem; }
dialog {
  border: 1px solid var(--_border);
  border-radius: var(--_radius);
  background: var(--_bg);
  color: var(--_fg);
  padding: 0;
  inline-size: min(56rem, calc(100vw - 2rem));
  max-block-size: calc(100vh - 2rem);
}
dialog::backdrop { background: rgb(0 0 0 / 0.45); }
.dialog-body { padding-block: 1.25rem; padding-inline: 1.5rem; overflow: auto; }
.dialog-head { display: flex; justify-content: space-between; align-items: start; gap: 1rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; inline-size: 100%; margin-block: 0.75rem; }
th, td { border-block-end: 1px solid var(--_border); padding-block: 0.5rem; padding-inline: 0.6rem; text-align: start; vertical-align: top; }
thead th { font-size: 1em; }
.current { color: var(--_muted); font-weight: normal; font-size: 0.85em; display: block; }
.recommended { color: var(--_success); font-size: 0.85em; display: block; }
.amount { font-size: 1.6em; font-weight: 700; }
.status { min-block-size: 1.5em; }
.error { color: #a4000f; }
.visually-hidden {
  position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;
}
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
}
`;
