// Load a JSON file into headless cytoscape.js with cy.json(), as a web page would, and print what
// it holds. Anything cytoscape.js complains about (an edge to a missing node ...) is reported.
const fs = require("fs");
const cytoscape = require("cytoscape");
const complaints = [];
for (const level of ["error", "warn"]) {
  console[level] = (...args) => complaints.push(args.join(" "));
}
const data = JSON.parse(fs.readFileSync(process.argv[2], "utf-8"));
const cy = cytoscape({headless: true});
cy.json(data);
const out = {
  nodes: cy.nodes().map((n) => ({id: n.id(), data: n.data()})),
  edges: cy.edges().map((e) => ({id: e.id(), source: e.source().id(), target: e.target().id(), data: e.data()})),
  complaints,
};
process.stdout.write(JSON.stringify(out));
