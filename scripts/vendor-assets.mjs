// Copies GOV.UK Frontend and MOJ Frontend from node_modules into static/vendor.
// The precompiled CSS points at fonts and images under the absolute path /assets/,
// which breaks once the files are served under /static/; rewrite those to relative URLs.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "vendor");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const moj = join(root, "node_modules", "@ministryofjustice", "frontend", "moj");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

function copyCss(src, dest) {
  const css = readFileSync(src, "utf8").replaceAll("url(/assets/", "url(assets/");
  writeFileSync(join(out, dest), css);
  cpSync(`${src}.map`, join(out, `${dest}.map`));
}

copyCss(join(govuk, "govuk-frontend.min.css"), "govuk-frontend.min.css");
copyCss(join(moj, "moj-frontend.min.css"), "moj-frontend.min.css");
for (const [dir, file] of [[govuk, "govuk-frontend.min.js"], [moj, "moj-frontend.min.js"]]) {
  cpSync(join(dir, file), join(out, file));
  cpSync(join(dir, `${file}.map`), join(out, `${file}.map`));
}
cpSync(join(govuk, "assets"), join(out, "assets"), { recursive: true });
cpSync(join(moj, "assets"), join(out, "assets"), { recursive: true });
console.log(`vendor assets copied to ${out}`);
