// Review desk shortcuts: a approves the first link shown, r goes to its reason field.
// The page works without this file; htmx swaps in the next link after each verdict.
document.addEventListener("keydown", function (event) {
  var tag = (event.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) {
    return;
  }
  var first = document.querySelector("#desk section.waiting");
  if (!first) {
    return;
  }
  if (event.key === "a") {
    event.preventDefault();
    first.querySelector("button.approve").click();
  } else if (event.key === "r") {
    event.preventDefault();
    first.querySelector("input[name=reason]").focus();
  }
});
