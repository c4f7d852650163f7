// Cuts the quoted history that mail clients append below a reply, so a customer timeline shows
// what was written in this message rather than the whole thread again. Recognized separators
// (docs/email-parsing.md, "Quoted history", has examples of each):
//   - attribution lines: Gmail/Apple Mail "On <date>, <name> <addr> wrote:" (also wrapped over up
//     to three lines) and their German/French/Spanish/Dutch/Italian/Portuguese forms
//     ("Am … schrieb …:", "Le … a écrit :", "El … escribió:", "Op … schreef …:", "Il … ha scritto:",
//     "Em … escreveu:"), and date-first "2014-10-17 11:28 GMT+03:00 Bob <bob@example.com>:";
//   - Outlook "-----Original Message-----" (and localized) lines;
//   - Outlook header blocks: a From:/Von:/De: line followed within five lines by Sent:/Date:/
//     Gesendet:/Envoyé : and Subject:/Betreff:/Objet : lines (an underscore rule right above is
//     cut too) — unless a forward marker ("---------- Forwarded message ----------") precedes it,
//     because forwarded content is what the sender meant to share;
//   - a trailing block of ">" lines (blank lines inside it allowed).
// Everything from the earliest separator on is cut. If that would leave nothing but whitespace,
// nothing is cut: an empty timeline entry is worse than a long one.
//
// Thread-safety: pure function; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

namespace omnihub::email {

struct TrimmedText {
  std::string text;      // the text above the quoted history, trailing whitespace removed
  bool trimmed = false;  // false: `text` is the input unchanged
};

// `text` uses "\n" line endings (CleanBodyText output).
TrimmedText TrimQuotedHistory(std::string_view text);

}  // namespace omnihub::email
