// yoga-layout (C++ flexbox engine, emscripten, wasm inlined): the layout React Native uses.
import Yoga, { Align, Direction, FlexDirection, Justify, Wrap, Edge, Gutter } from 'yoga-layout';

const root = Yoga.Node.create();
root.setWidth(500);
root.setHeight(300);
root.setFlexDirection(FlexDirection.Row);
root.setJustifyContent(Justify.SpaceBetween);
root.setAlignItems(Align.Center);
root.setFlexWrap(Wrap.Wrap);
root.setPadding(Edge.All, 10);
root.setGap(Gutter.Column, 5);
const kids = [];
for (let i = 0; i < 7; i++) {
  const n = Yoga.Node.create();
  n.setWidth(60 + i * 10);
  n.setHeight(40 + (i % 3) * 15);
  if (i === 3) n.setFlexGrow(1);
  n.setMargin(Edge.Top, i);
  root.insertChild(n, i);
  kids.push(n);
}
root.calculateLayout(undefined, undefined, Direction.LTR);
console.log(JSON.stringify(root.getComputedLayout()));
for (const k of kids) console.log(JSON.stringify(k.getComputedLayout()));
root.calculateLayout(300, 400, Direction.RTL);
console.log(kids.map((k) => k.getComputedLeft() + ',' + k.getComputedTop()).join(' '));
root.freeRecursive();
