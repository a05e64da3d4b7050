using System.ComponentModel;
using System.Diagnostics;

namespace Nlps.Agents.Chatbot.Extraction;

/// <summary>PDF through Debian's <c>pdftotext</c> (package poppler-utils): one heading per page, paragraphs by blank lines.</summary>
internal static class PdfExtractor
{
    public const string DefaultExecutable = "pdftotext";

    public static async Task<List<DocumentBlock>> ExtractAsync(byte[] content, string name, CancellationToken cancellationToken, string executable = DefaultExecutable)
    {
        var input = Path.Combine(Path.GetTempPath(), $"nlps-chatbot-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(input, content, cancellationToken).ConfigureAwait(false);
        try
        {
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = System.Text.Encoding.UTF8,
            };
            foreach (var argument in new[] { "-enc", "UTF-8", "-eol", "unix", input, "-" })
            {
                start.ArgumentList.Add(argument);
            }

            Process process;
            try
            {
                process = Process.Start(start) ?? throw new ExtractionException($"{name}: pdftotext could not be started");
            }
            catch (Win32Exception ex)
            {
                throw new ExtractionException($"{name}: PDF needs pdftotext, which is not installed on this appliance (apt-get install poppler-utils)", ex);
            }

            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
                var error = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                if (process.ExitCode != 0)
                {
                    throw new ExtractionException($"{name}: pdftotext could not read the PDF (exit {process.ExitCode}: {(await error.ConfigureAwait(false)).Trim()})");
                }

                var blocks = new List<DocumentBlock>();
                var pages = (await output.ConfigureAwait(false)).Split('\f');
                for (var page = 0; page < pages.Length; page++)
                {
                    var paragraphs = PlainTextExtractor.Extract(pages[page]);
                    if (paragraphs.Count > 0)
                    {
                        blocks.Add(new DocumentBlock(BlockKind.Heading, $"p. {page + 1}", 1));
                        blocks.AddRange(paragraphs);
                    }
                }

                return blocks;
            }
        }
        finally
        {
            File.Delete(input);
        }
    }
}
