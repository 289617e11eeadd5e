/* AG Grid functions for report grids (components/grid.py): sorting and the cell
   renderer that shows a difference band as a circle, an arrow and words. */

var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
var dagcomponentfuncs = (window.dashAgGridComponentFunctions =
  window.dashAgGridComponentFunctions || {});

/* Compare two rows by a key field: numbers as numbers ("1008", "-4.3"), ISO dates and
   words as text; a blank always sorts last, whichever the direction. A row without
   the key field (the Pupil List sends keys only where they differ) sorts by its text. */
dagfuncs.trackerCompare = function (nodeA, nodeB, key, isDescending) {
  var a = sortKey(nodeA, key);
  var b = sortKey(nodeB, key);
  var blankA = a === null || a === undefined || a === "";
  var blankB = b === null || b === undefined || b === "";
  if (blankA || blankB) {
    if (blankA && blankB) return 0;
    var last = isDescending ? -1 : 1;
    return blankA ? last : -last;
  }
  var numberA = Number(a);
  var numberB = Number(b);
  if (!isNaN(numberA) && !isNaN(numberB)) return numberA - numberB;
  return String(a).localeCompare(String(b));
};

function sortKey(node, key) {
  if (!node || !node.data) return "";
  var value = node.data[key];
  return value === undefined ? node.data[key.replace(/_key$/, "")] : value;
}

/* A cell's text; with a band, the same markup as components/figures.band_marker. */
dagcomponentfuncs.ReportCell = function (props) {
  var e = React.createElement;
  var field = props.colDef.field;
  var band = props.data ? props.data[field + "_band"] : null;
  var text = props.value === null || props.value === undefined ? "" : props.value;
  if (!band) {
    return e("span", { className: "difference" }, text);
  }
  var better = band.indexOf("better") !== -1;
  return e("span", { className: "difference" }, [
    e("span", { key: "c", className: "band-circle " + band, "aria-hidden": "true" }),
    e("span", { key: "a", className: "band-arrow", "aria-hidden": "true" },
      better ? "\u25B2" : "\u25BC"),
    e("span", { key: "t" }, text),
    e("span", { key: "w", className: "visually-hidden" },
      " (" + props.data[field + "_words"] + ")"),
  ]);
};

/* A Pupil List figure: the pupil's attendance band as a circle, then the figure, with
   the band in words for screen readers (components/pupil_reports.py). */
dagcomponentfuncs.PupilCell = function (props) {
  var e = React.createElement;
  var field = props.colDef.field;
  var band = props.data ? props.data[field + "_band"] : null;
  var text = props.value === null || props.value === undefined ? "" : props.value;
  if (!band) {
    return e("span", null, text);
  }
  return e("span", { className: "difference" }, [
    e("span", { key: "c", className: "band-circle " + band, "aria-hidden": "true" }),
    e("span", { key: "t" }, text),
    e("span", { key: "w", className: "visually-hidden" },
      " (" + props.data[field + "_words"] + ")"),
  ]);
};

/* A pupil's name as the link to their Individual Pupil report (an opaque id only). */
dagcomponentfuncs.PupilLink = function (props) {
  var e = React.createElement;
  var href = props.data ? props.data.href : null;
  if (!href) {
    return e("span", null, props.value);
  }
  return e("a", { href: href, className: "pupil-link" }, props.value);
};
