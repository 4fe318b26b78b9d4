// The map page: pan (drag) and zoom (wheel, or +/- keys) the inline SVG by
// changing its viewBox. No libraries.
"use strict";
(function () {
  const box = document.getElementById("map");
  const svg = box && box.querySelector("svg");
  if (!svg) return;
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  let vb = svg.viewBox.baseVal;
  if (!vb || vb.width === 0) {
    const b = svg.getBBox();
    svg.setAttribute("viewBox", `${b.x} ${b.y} ${b.width} ${b.height}`);
    vb = svg.viewBox.baseVal;
  }
  function zoom(factor, cx, cy) {
    const r = svg.getBoundingClientRect();
    const px = vb.x + ((cx - r.left) / r.width) * vb.width;
    const py = vb.y + ((cy - r.top) / r.height) * vb.height;
    vb.width *= factor; vb.height *= factor;
    vb.x = px - ((cx - r.left) / r.width) * vb.width;
    vb.y = py - ((cy - r.top) / r.height) * vb.height;
  }
  box.addEventListener("wheel", (e) => {
    e.preventDefault();
    zoom(e.deltaY < 0 ? 0.85 : 1 / 0.85, e.clientX, e.clientY);
  }, { passive: false });
  let drag = null;
  box.addEventListener("pointerdown", (e) => { drag = { x: e.clientX, y: e.clientY }; box.setPointerCapture(e.pointerId); });
  box.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    vb.x -= ((e.clientX - drag.x) / r.width) * vb.width;
    vb.y -= ((e.clientY - drag.y) / r.height) * vb.height;
    drag = { x: e.clientX, y: e.clientY };
  });
  box.addEventListener("pointerup", () => { drag = null; });
  document.addEventListener("keydown", (e) => {
    const r = svg.getBoundingClientRect();
    if (e.key === "+") zoom(0.85, r.left + r.width / 2, r.top + r.height / 2);
    if (e.key === "-") zoom(1 / 0.85, r.left + r.width / 2, r.top + r.height / 2);
  });
})();
