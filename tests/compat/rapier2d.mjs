// @dimforge/rapier2d-compat (the Rapier physics engine in Rust, wasm-bindgen, wasm inlined as
// base64): a deterministic 2D simulation — boxes and balls falling on the ground, a joint,
// a ray cast — with the positions after 240 steps.
import RAPIER from '@dimforge/rapier2d-compat';

await RAPIER.init();
const world = new RAPIER.World({ x: 0, y: -9.81 });
world.createCollider(RAPIER.ColliderDesc.cuboid(20, 0.5).setTranslation(0, -0.5));
const bodies = [];
for (let i = 0; i < 12; i++) {
  const desc = RAPIER.RigidBodyDesc.dynamic().setTranslation((i % 4) - 1.5 + i * 0.01, 2 + Math.floor(i / 4) * 1.2).setRotation(i * 0.1);
  const body = world.createRigidBody(desc);
  world.createCollider(i % 2 ? RAPIER.ColliderDesc.ball(0.4).setRestitution(0.3) : RAPIER.ColliderDesc.cuboid(0.4, 0.3).setFriction(0.7), body);
  bodies.push(body);
}
const a = world.createRigidBody(RAPIER.RigidBodyDesc.fixed().setTranslation(5, 6));
const b = world.createRigidBody(RAPIER.RigidBodyDesc.dynamic().setTranslation(6, 6));
world.createCollider(RAPIER.ColliderDesc.ball(0.2), b);
world.createImpulseJoint(RAPIER.JointData.revolute({ x: 0, y: 0 }, { x: -1, y: 0 }), a, b, true);
for (let step = 0; step < 240; step++) world.step();
const f = (v) => v.toFixed(3);
for (const body of bodies) console.log(f(body.translation().x), f(body.translation().y), f(body.rotation()), body.isSleeping());
console.log('pendulum', f(b.translation().x), f(b.translation().y));
const hit = world.castRay(new RAPIER.Ray({ x: -10, y: 0.5 }, { x: 1, y: 0 }), 40, true);
console.log('ray', hit ? f(hit.timeOfImpact ?? hit.toi) : null);
console.log('colliders', world.colliders.len(), 'bodies', world.bodies.len());
