import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Customer 360", template: "%s · Customer 360" },
  description: "One page per customer, at every level of the customer's hierarchy.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
