// The parts of a catalogue made by web/build/catalogue-parts.ts; their keys are typed through
// i18next.d.ts, from the whole catalogue.
declare module 'virtual:catalogue/*' {
  const sections: Record<string, unknown>;
  export default sections;
}
