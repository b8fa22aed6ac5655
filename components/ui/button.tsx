"use client";

import type { ButtonHTMLAttributes } from "react";
import { buttonClass, type ButtonVariant } from "./button-class";
import { DisabledReason } from "./tooltip";

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  /**
   * Why the button cannot be used right now (e.g. a historical period, R23). Set, the button is
   * disabled and the reason reaches pointer, keyboard and screen-reader users alike.
   */
  disabledReason?: string;
};

export function Button({
  variant = "primary",
  className = "",
  type = "button",
  disabledReason,
  ...props
}: ButtonProps) {
  const button = (describedBy?: string) => (
    <button
      type={type}
      className={buttonClass(variant, className)}
      {...props}
      disabled={Boolean(disabledReason) || props.disabled}
      aria-describedby={[props["aria-describedby"], describedBy].filter(Boolean).join(" ") || undefined}
      // The native title stays for pointer users (and the R23 tests that read it).
      title={disabledReason ?? props.title}
    />
  );
  return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;
}
