// Prints the minified loader: `make loader` writes it to mkdocs_intercom/assets/loader.min.js,
// and a test checks that the committed file is exactly what this prints.
import { readFile } from "node:fs/promises";
import { minify } from "terser";

const source = new URL("../../mkdocs_intercom/assets/loader.js", import.meta.url);
// The block that hands the machine to `node --test` has no use in a page.
const forPages = (await readFile(source, "utf8")).replace(/\/\/ <node>[\s\S]*?\/\/ <\/node>\n/, "");
// The machine's own fields get short names: none of them is a key of the page's config, of the
// signer's JSON or a DOM property the loader uses (so `builtins` may be renamed too).
const fields =
  /^(config|phase|messenger|identity|epoch|asking|early|hint|checkedAt|renewAt|stale|updates|openAfterBoot|clicked|result|kind|leaving|heard|visible|click|changes|options|after|draw|loaded|message)$/;
const { code } = await minify(forPages, {
  ecma: 2020,
  compress: { passes: 3, unsafe: true, unsafe_arrows: true, pure_getters: true },
  mangle: { properties: { regex: fields, builtins: true } },
  format: {
    comments: false,
    preamble: "/* mkdocs-intercom: built from loader.js */",
  },
});
process.stdout.write(`${code}\n`);
