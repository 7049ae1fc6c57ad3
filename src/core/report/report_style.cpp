#include "report/report_context.hpp"

namespace maillage::report {

// System fonts only (no remote font): the report opens offline and prints the same.
const char* report_stylesheet() {
    return R"CSS(
@page { size: A4 portrait; margin: 12mm 13mm 14mm 13mm;
  @bottom-right { content: "Page " counter(page) " / " counter(pages); font: 9pt sans-serif; color: #555; }
  @bottom-left { content: "maillage — rapport d'analyse territoriale"; font: 9pt sans-serif; color: #555; } }
* { box-sizing: border-box; }
html { background: #e9ecef; }
body { margin: 0; font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1a1a1a; font-size: 10.5pt; line-height: 1.35; }
.page { width: 184mm; height: 268mm; margin: 8mm auto; padding: 0; overflow: hidden; background: #fff; position: relative;
  break-after: page; page-break-after: always; }
@media screen { .page { width: 210mm; min-height: 297mm; height: auto; padding: 12mm 13mm; box-shadow: 0 1px 6px rgba(0,0,0,.25); } }
@media print { html { background: #fff; } .page { margin: 0; } .page:last-child { break-after: auto; page-break-after: auto; } }
h1 { font-size: 22pt; line-height: 1.15; margin: 6mm 0 3mm; color: #0b3954; }
h2 { font-size: 15pt; margin: 0 0 2mm; color: #0b3954; border-bottom: 2px solid #0b3954; padding-bottom: 1mm; }
h3 { font-size: 11.5pt; margin: 3mm 0 1.5mm; color: #0b3954; }
p { margin: 0 0 2mm; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 9pt; color: #4a5a6a; }
.lead { font-size: 12.5pt; color: #333; }
.answer { font-size: 13pt; background: #f1f6f9; border-left: 5px solid #0b3954; padding: 3mm 4mm; margin: 4mm 0; }
.answer ul { margin: 1mm 0 0 0; padding-left: 5mm; }
.key-figures { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 3mm; margin: 4mm 0; }
.key-figure { border: 1px solid #c9d3dc; border-radius: 2mm; padding: 3mm; }
.key-figure .value { display: block; font-size: 24pt; font-weight: bold; color: #0b3954; line-height: 1.1; }
.key-figure .label { display: block; font-size: 9.5pt; color: #333; margin-top: 1mm; }
.warning { border: 2px solid #b35806; background: #fff4e5; padding: 2.5mm 4mm; margin: 3mm 0; font-size: 9.5pt; }
.warning strong { color: #8a3b00; }
.note { font-size: 9pt; color: #444; }
.omitted { font-size: 9pt; color: #444; font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 1mm 0 3mm; }
th, td { border-bottom: 1px solid #d5dde5; padding: 0.7mm 1.5mm; text-align: right; vertical-align: top; }
th { background: #eef2f5; color: #0b3954; font-weight: bold; }
th:first-child, td:first-child { text-align: left; width: 30%; }
td.text, th.text { text-align: left; }
td.hash { width: 27%; font-family: "DejaVu Sans Mono", monospace; font-size: 6.5pt; word-break: break-all; text-align: left; }
tr.total td { font-weight: bold; border-top: 1.5px solid #0b3954; }
table.gaps td:first-child, table.gaps th:first-child { width: 7%; }
table.inputs td:first-child, table.inputs th:first-child { width: 17%; }
.two-maps { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm; }
.two-maps figure { margin: 0; }
figure { margin: 0 0 2mm; }
figcaption { font-size: 9pt; color: #333; margin-bottom: 1mm; font-weight: bold; }
svg.map, svg.chart { display: block; max-width: 100%; height: auto; }
svg.map text { font-family: "DejaVu Sans", Arial, sans-serif; }
svg.map use.commune { stroke: #6b6b6b; stroke-width: 0.35; }
svg.map use.faded { opacity: .3; }
svg.map use.epci-outline { fill: none; stroke: #3c3c3c; stroke-width: 0.9; stroke-dasharray: 4 2; }
svg.map use.territory-outline { fill: none; stroke: #111; stroke-width: 2; }
.geo-defs { position: absolute; width: 0; height: 0; overflow: hidden; }
/* Not ".geo-defs path": Chromium does not match a rule with an ancestor selector on what <use>
   draws; a selector on the path itself does. */
path[id^="c-"], path[id^="e-"], path[id^="t-"] { vector-effect: non-scaling-stroke; }
svg.map .town { font-size: 10px; font-weight: bold; text-anchor: middle; fill: #111; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
svg.map .legend text { font-size: 10px; fill: #222; }
svg.map .legend .legend-title { font-weight: bold; font-size: 10.5px; }
svg.map .territory-key { stroke: #111; stroke-width: 2; fill: none; }
svg.map .epci-key { stroke: #3c3c3c; stroke-width: 0.9; stroke-dasharray: 4 2; fill: none; }
svg.map .area-outline { fill: none; stroke: #08306b; stroke-width: 1.2; stroke-dasharray: 6 3; vector-effect: non-scaling-stroke; }
svg.map .area-key { fill: none; stroke: #08306b; stroke-width: 1.6; stroke-dasharray: 6 3; }
svg.map .north-arrow path { fill: #222; }
svg.map .north-arrow text { font-size: 11px; font-weight: bold; text-anchor: middle; }
svg.map .scale-bar rect { fill: #222; }
svg.map .scale-bar text { font-size: 10px; }
svg.map .source { font-size: 8.5px; fill: #555; }
svg.chart text { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10px; fill: #222; }
svg.chart .bar-label { text-anchor: end; }
svg.chart .bar-frame { fill: none; stroke: #777; stroke-width: .6; }
svg.chart .bar-value { font-weight: bold; }
svg.chart .grid { stroke: #ddd; stroke-width: 1; }
svg.chart .axis { text-anchor: end; }
svg.chart .axis-x, svg.chart .axis-title { text-anchor: middle; }
svg.chart .line { fill: none; stroke: #0b3954; stroke-width: 2; }
svg.chart .dot { fill: #0b3954; }
.toc { margin: 1mm 0 0; padding-left: 5mm; font-size: 9.5pt; columns: 2; column-gap: 8mm; }
.glossary dt { font-weight: bold; margin-top: 1.5mm; }
.glossary dd { margin: 0 0 0 4mm; font-size: 9.5pt; }
.change-list { margin: 1mm 0 3mm; padding-left: 5mm; }
)CSS";
}

}  // namespace maillage::report
