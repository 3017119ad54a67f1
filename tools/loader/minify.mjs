// Prints the minified loader: `make loader` writes it to mkdocs_intercom/assets/loader.min.js,
// and a test checks that the committed file is exactly what this prints.
import { readFile } from "node:fs/promises";
import { minify } from "terser";

const source = new URL("../../mkdocs_intercom/assets/loader.js", import.meta.url);
const { code } = await minify(await readFile(source, "utf8"), {
  ecma: 2020,
  compress: { passes: 2 },
  mangle: true,
  format: {
    comments: false,
    preamble: "/* mkdocs-intercom loader: minified from loader.js, the source to read and edit */",
  },
});
process.stdout.write(`${code}\n`);
