using System.CommandLine;
using System.Text.Json;
using Nlps.Cli.Output;

namespace Nlps.Cli.Commands;

/// <summary><c>nlpsctl hardware</c>: the appliance's CPU, RAM, disk and GPUs; a recorded (simulated) box says so first.</summary>
internal static class HardwareCommand
{
    public static Command Create(GlobalOptions global)
    {
        var refresh = new Option<bool>("--refresh") { Description = "Take a fresh snapshot instead of the last one" };
        var hardware = new Command("hardware", "Show the CPU, RAM, disk and GPUs nlpsd sees") { refresh };
        hardware.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            JsonElement body = await client.GetAsync($"/v1/admin/hardware{(result.GetValue(refresh) ? "?refresh=true" : string.Empty)}", ct);
            if (result.GetValue(global.Json))
            {
                Console.WriteLine(JsonOutput.Format(body));
                return 0;
            }

            Render(Console.Out, body);
            return 0;
        }));
        return hardware;
    }

    internal static void Render(TextWriter output, JsonElement body)
    {
        if (body.GetProperty("simulated").GetBoolean())
        {
            output.WriteLine($"SIMULATED: recorded box {body.GetProperty("simulatedFrom").GetString()} (not this machine's CPU, RAM or GPUs)");
        }

        JsonElement cpu = body.GetProperty("cpu");
        JsonElement memory = body.GetProperty("memory");
        JsonElement gpus = body.GetProperty("gpus");
        output.WriteLine($"cpu     {cpu.GetProperty("model").GetString()}: {cpu.GetProperty("sockets")} socket(s), {cpu.GetProperty("cores")} cores, {cpu.GetProperty("threads")} threads");
        output.WriteLine($"ram     {ByteSize.Format(memory.GetProperty("availableBytes").GetInt64())} available of {ByteSize.Format(memory.GetProperty("totalBytes").GetInt64())}");
        if (body.TryGetProperty("disk", out JsonElement disk))
        {
            output.WriteLine($"disk    {ByteSize.Format(disk.GetProperty("freeBytes").GetInt64())} free of {ByteSize.Format(disk.GetProperty("totalBytes").GetInt64())} at {disk.GetProperty("path").GetString()}");
        }

        string driver = gpus.TryGetProperty("driverVersion", out JsonElement d) ? $", driver {d.GetString()}" : string.Empty;
        string cuda = gpus.TryGetProperty("cudaVersion", out JsonElement c) ? $", CUDA {c.GetString()}" : string.Empty;
        output.WriteLine($"gpus    {gpus.GetProperty("devices").GetArrayLength()} via {gpus.GetProperty("source").GetString()}{driver}{cuda}");
        if (gpus.TryGetProperty("problem", out JsonElement problem))
        {
            output.WriteLine($"problem {problem.GetString()}");
        }

        if (gpus.GetProperty("devices").GetArrayLength() == 0)
        {
            return;
        }

        output.WriteLine();
        Table.Write(output, ["IDX", "NAME", "TOTAL", "FREE", "CC", "UTIL", "TEMP", "MIG"], gpus.GetProperty("devices").EnumerateArray().Select(g => new[]
        {
            g.GetProperty("index").ToString(),
            g.GetProperty("name").GetString() ?? string.Empty,
            ByteSize.Format(g.GetProperty("totalBytes").GetInt64()),
            g.TryGetProperty("freeBytes", out JsonElement free) && free.ValueKind == JsonValueKind.Number ? ByteSize.Format(free.GetInt64()) : "-",
            Text(g, "computeCapability"),
            g.TryGetProperty("utilizationPercent", out JsonElement util) && util.ValueKind == JsonValueKind.Number ? $"{util}%" : "-",
            g.TryGetProperty("temperatureCelsius", out JsonElement temp) && temp.ValueKind == JsonValueKind.Number ? $"{temp}C" : "-",
            g.GetProperty("migEnabled").GetBoolean() ? $"{g.GetProperty("migInstances").GetArrayLength()} slice(s)" : "off",
        }));
    }

    private static string Text(JsonElement row, string property) =>
        row.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "-";
}
