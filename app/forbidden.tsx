import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="p-10">
      <h1 className="mb-2 text-xl font-semibold">You do not have access to this page</h1>
      <p className="mb-4 text-sm text-slate-700">
        Your role does not include this screen. Ask an organization admin if you need it.
      </p>
      <Link className="text-indigo-700 underline" href="/">
        Back to the console
      </Link>
    </main>
  );
}
