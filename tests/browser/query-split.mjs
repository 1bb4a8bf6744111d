// The search box's query analysis, run in node for tests/external/query_split.rs:
// loads the theme's search.js with a window that has no search box (so it only
// registers window.handbookSearch), then the site's search/index.js and
// search/fold.js, and prints what analyse() makes of each query as JSON.
//
// usage: node query-split.mjs SEARCH_JS INDEX_JS FOLD_JS QUERIES_JSON
import fs from "node:fs";
import vm from "node:vm";

const [searchJs, indexJs, foldJs, queriesJson] = process.argv.slice(2);
const noop = () => {};
const context = {
  console,
  document: {
    querySelector: () => null,
    getElementById: () => null,
    addEventListener: noop,
  },
  // What handbook.js shares with search.js; the analysis uses none of it.
  handbook: {
    root: "",
    el: noop,
    fill: noop,
    highlight: noop,
    wordsPattern: noop,
    isEditable: () => false,
    text: noop,
    uiString: noop,
  },
};
context.window = context;
vm.createContext(context);
for (const file of [searchJs, indexJs, foldJs]) {
  vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
}
const search = context.handbookSearch;
if (!search || typeof search.analyse !== "function") {
  throw new Error("search.js did not hand out handbookSearch.analyse");
}
const queries = JSON.parse(fs.readFileSync(queriesJson, "utf8"));
const results = queries.map((query) => {
  const { normalized, parts, slots, missing } = search.analyse(query);
  return { normalized, parts, slots, missing };
});
process.stdout.write(JSON.stringify(results));
