import Link from "next/link";

export default function NotFound() {
  return (
    <main className="p-10">
      <h1 className="mb-2 text-xl font-semibold">Page not found</h1>
      <Link className="text-indigo-700 underline" href="/">
        Back to the console
      </Link>
    </main>
  );
}
