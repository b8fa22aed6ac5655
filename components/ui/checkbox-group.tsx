"use client";

import { useId } from "react";

export type CheckboxChoice<V extends string> = { value: V; description: string };

/**
 * A set of named choices in a fieldset (webhook event types, API key scopes). Each checkbox is
 * named by its value alone (what programs and tests address it by), with its description linked
 * as its accessible description; the group's error is announced with the group.
 */
export function CheckboxGroup<V extends string>({
  legend,
  choices,
  chosen,
  onChange,
  errors,
}: {
  legend: string;
  choices: readonly CheckboxChoice<V>[];
  chosen: readonly V[];
  onChange: (next: V[]) => void;
  errors?: string[];
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset aria-describedby={errors?.length ? errorId : undefined}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <div className="mt-1 flex flex-col gap-1">
        {choices.map((choice) => {
          const descriptionId = `${id}-${choice.value}`;
          return (
            <div key={choice.value} className="flex items-start gap-2 text-sm">
              <input
                id={`${descriptionId}-box`}
                type="checkbox"
                className="mt-1"
                aria-describedby={descriptionId}
                checked={chosen.includes(choice.value)}
                onChange={(e) =>
                  onChange(
                    e.target.checked ? [...chosen, choice.value] : chosen.filter((value) => value !== choice.value),
                  )
                }
              />
              <span>
                <label htmlFor={`${descriptionId}-box`}>
                  <code>{choice.value}</code>
                </label>{" "}
                <span id={descriptionId} className="text-slate-600">
                  — {choice.description}
                </span>
              </span>
            </div>
          );
        })}
      </div>
      {errors?.length ? (
        <p id={errorId} className="mt-1 text-sm text-red-700" role="alert">
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
