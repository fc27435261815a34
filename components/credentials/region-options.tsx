import type { RegionOption } from './regions';

/** The `<option>`s of a region picker: "eu-west-1 · Europe (Ireland)". */
export function RegionOptions({ regions }: { regions: readonly RegionOption[] }) {
  return regions.map((option) => (
    <option key={option.code} value={option.code}>
      {option.code} · {option.name}
    </option>
  ));
}
