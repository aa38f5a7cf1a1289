// The pairing board refreshes itself every few seconds. Skip a refresh while an organiser
// has a "Someone else" list open, so it does not snap shut under their thumb.
document.addEventListener("htmx:beforeRequest", function (event) {
  var board = document.getElementById("board");
  if (event.detail.elt === board && board.querySelector("details[open]")) {
    event.preventDefault();
  }
});
