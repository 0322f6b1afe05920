/**
 * Results already worked out, by key, for work every page repeats with the same few hundred inputs
 * (slot times, session lines). Bounded: when `limit` keys are held it starts again, so an odd input
 * cannot grow it for ever.
 */
export function remembered<V>(limit: number): (key: string, make: () => V) => V {
  const known = new Map<string, V>();
  return (key, make) => {
    let value = known.get(key);
    if (value === undefined) {
      if (known.size >= limit) known.clear();
      value = make();
      known.set(key, value);
    }
    return value;
  };
}
