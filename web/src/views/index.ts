// Views (charts, timeline, flame graph, fix-loop panels, ...) register here: import each view
// module below; a module calls registerOutputRenderer and/or registerPanel from
// ../shell/registry.ts when it loads. See web/README.md, "Adding a view".
import "./chart.js";
import "./fixLoopPanel.js";
import "./patchReview.js";
