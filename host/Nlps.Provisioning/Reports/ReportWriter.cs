using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Nlps.Provisioning.Reports;

/// <summary>
/// Writes the report as <c>report.json</c> and <c>report.html</c> (UTF-8, Korean as itself, not escaped), each
/// atomically: a reader never sees half a report.
/// </summary>
public static class ReportWriter
{
    public const string JsonFile = "report.json";
    public const string HtmlFile = "report.html";

    private static readonly JsonSerializerOptions JsonOptions = new(ProvisioningJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        WriteIndented = true,
    };

    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static async Task WriteAsync(ProvisioningReport report, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(folder);
        await WriteAtomicAsync(Path.Combine(folder, JsonFile), ToJson(report), cancellationToken).ConfigureAwait(false);
        await WriteAtomicAsync(Path.Combine(folder, HtmlFile), ToHtml(report), cancellationToken).ConfigureAwait(false);
    }

    public static string ToJson(ProvisioningReport report) =>
        JsonSerializer.Serialize(report, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ProvisioningReport>)JsonOptions.GetTypeInfo(typeof(ProvisioningReport)));

    public static string ToHtml(ProvisioningReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(E($"Provisioning report — {report.CustomerName}"))
            .Append("</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:.2em .5em;text-align:left}.passed{color:#060}.failed,.refused,.acceptance_failed,.restart_required{color:#a00}</style>\n</head>\n<body>\n");
        html.Append("<h1>").Append(E(report.CustomerName)).Append("</h1>\n<p>Customer <code>").Append(E(report.CustomerId))
            .Append("</code>, profile <code>").Append(E(report.Profile)).Append("</code> (SHA-256 <code>").Append(E(report.ProfileSha256))
            .Append("</code>), generated ").Append(E(report.GeneratedAt.ToString("u", CultureInfo.InvariantCulture))).Append("</p>\n");
        html.Append("<p class=\"").Append(E(report.Outcome)).Append("\"><strong>Outcome: ").Append(E(report.Outcome)).Append("</strong>")
            .Append(report.Reason is null ? string.Empty : " — " + E(report.Reason)).Append("</p>\n");
        if (report.Hardware.Simulated)
        {
            html.Append("<p class=\"failed\"><strong>SIMULATED hardware</strong>: recorded box ").Append(E(report.Hardware.SimulatedFrom ?? "?")).Append("</p>\n");
        }

        Table(html, "Versions", ["component", "version"], report.Versions.Select(v => new[] { v.Key, v.Value }));
        Table(html, "Hardware", ["part", "value"], [
            ["CPU", $"{report.Hardware.Cpu.Model}: {report.Hardware.Cpu.Sockets} socket(s), {report.Hardware.Cpu.Cores} cores, {report.Hardware.Cpu.Threads} threads"],
            ["RAM", $"{report.Hardware.Memory.TotalBytes} bytes total, {report.Hardware.Memory.AvailableBytes} available"],
            .. report.Hardware.Gpus.Devices.Select(g => new[] { $"GPU {g.Index}", $"{g.Name}, {g.TotalBytes} bytes, {g.Uuid}" }),
        ]);
        if (report.Plan is { } plan)
        {
            Table(html, "Placement plan", ["deployment", "result", "devices", "bytes per device"], plan.Outcomes.Select(o => o.Placement is { } p
                ? new[] { o.DeploymentId, "placed", string.Join(", ", p.Devices), p.PerDevice.TotalBytes.ToString(CultureInfo.InvariantCulture) }
                : [o.DeploymentId, "refused", "-", o.Refusal!.Message]));
        }

        Table(html, "Problems found before anything was changed", ["code", "subject", "reason"], report.Problems.Select(p => new[] { p.Code, p.Subject, p.Message }));
        Table(html, "Plugins", ["package", "id", "version", "SHA-256", "signed by"], report.Plugins.Select(p => new[] { p.Package, p.Id, p.Version, p.PackageSha256, p.SignerKeyId ?? "unsigned" }));
        Table(html, "Steps", ["step", "result"], report.Steps.Select(s => new[] { s.Step, s.Summary }));
        Table(html, "Acceptance run", ["check", "request", "result", "status", "detail"], report.Acceptance.Select(a => new[] { a.Name, a.Target, a.Passed ? "pass" : "FAIL", a.Status.ToString(CultureInfo.InvariantCulture), a.Detail }));
        Table(html, "Media files", ["file", "bytes", "SHA-256"], report.Files.Select(f => new[] { f.Path, f.Bytes.ToString(CultureInfo.InvariantCulture), f.Sha256 }));
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Table(StringBuilder html, string title, string[] headings, IEnumerable<string[]> rows)
    {
        html.Append("<h2>").Append(E(title)).Append("</h2>\n<table>\n<tr>");
        foreach (string heading in headings)
        {
            html.Append("<th>").Append(E(heading)).Append("</th>");
        }

        html.Append("</tr>\n");
        foreach (string[] row in rows)
        {
            html.Append("<tr>");
            foreach (string cell in row)
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static string E(string text) => Html.Encode(text);

    private static async Task WriteAtomicAsync(string path, string text, CancellationToken cancellationToken)
    {
        string temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }
}
