// Producer portal: show only the sub-groups of the chosen product group.
(function () {
  "use strict";
  var group = document.getElementById("group");
  var subgroup = document.getElementById("subgroup");
  if (!group || !subgroup) return;
  function sync() {
    var chosen = group.value;
    Array.prototype.forEach.call(subgroup.options, function (option) {
      var owner = option.getAttribute("data-group");
      var hide = owner !== null && chosen !== "" && owner !== chosen;
      option.hidden = hide;
      option.disabled = hide;
    });
    var current = subgroup.options[subgroup.selectedIndex];
    if (current && current.disabled) subgroup.value = "";
  }
  group.addEventListener("change", sync);
  sync();
})();
