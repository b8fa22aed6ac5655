import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    memberId?: string;
    orgId?: string;
    /**
     * When this session was issued, i.e. signed in (seconds since epoch, millisecond fraction).
     * Fixed for the session's life, unlike the JWT's own `iat`, which next-auth renews.
     */
    issuedAt?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    memberId?: string;
    orgId?: string;
    /** The sign-in time (NumericDate with millisecond fraction), set once at sign-in. */
    signedInAt?: number;
  }
}
