import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    memberId?: string;
    orgId?: string;
    /** The JWT's issue time (seconds since epoch). */
    issuedAt?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    memberId?: string;
    orgId?: string;
  }
}
