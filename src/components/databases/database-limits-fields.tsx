import { optionalNumber } from '@/components/backups/use-async-action';
import { TextField } from '@/components/ui/text-field';

export type LimitsDraft = { cpu: string; memory: string };
type LimitErrors = { cpu: string | null; memory: string | null };

/** What is wrong with the typed limits, by the API's bounds (databaseLimits). */
export function limitErrors(draft: LimitsDraft): LimitErrors {
  const cpu = optionalNumber(draft.cpu);
  const memory = optionalNumber(draft.memory);
  return {
    cpu: cpu === null || (cpu > 0 && cpu <= 64) ? null : 'More than 0 and at most 64 CPUs.',
    memory:
      memory === null || (Number.isInteger(memory) && memory >= 32 && memory <= 1_048_576)
        ? null
        : 'A whole number of MB, at least 32.',
  };
}

/** The limits for database.create: omitted when left empty (no limit). */
export function toLimits(draft: LimitsDraft): { cpuLimit?: number; memoryLimitMb?: number } {
  const cpu = optionalNumber(draft.cpu);
  const memory = optionalNumber(draft.memory);
  return {
    ...(cpu === null ? {} : { cpuLimit: cpu }),
    ...(memory === null ? {} : { memoryLimitMb: memory }),
  };
}

/** Optional CPU and memory limits of a database container, side by side. */
export function DatabaseLimitsFields({
  value,
  errors,
  onChange,
}: {
  value: LimitsDraft;
  errors: LimitErrors;
  onChange: (next: LimitsDraft) => void;
}) {
  return (
    <div className="grid grid-cols-2 gap-3">
      <TextField
        label="CPU (optional)"
        error={errors.cpu}
        hint="e.g. 0.5"
        type="number"
        min={0.1}
        step={0.1}
        inputMode="decimal"
        value={value.cpu}
        onChange={(typed) => onChange({ ...value, cpu: typed })}
      />
      <TextField
        label="Memory MB (optional)"
        error={errors.memory}
        hint="e.g. 512"
        type="number"
        min={32}
        step={32}
        inputMode="numeric"
        value={value.memory}
        onChange={(typed) => onChange({ ...value, memory: typed })}
      />
    </div>
  );
}
