using System.Globalization;

namespace Nlps.Hardware.Gpu;

/// <summary>
/// Parses <c>nvidia-smi --query-gpu=<see cref="QueryFields"/> --format=csv,noheader,nounits</c>:
/// one comma-separated line per GPU, memory in MiB, power in W, with "[N/A]"/"[Not Supported]" for values the board lacks.
/// Any other shape is an error naming the line, never a silent zero.
/// </summary>
public static class NvidiaSmiQueryParser
{
    public const string QueryFields =
        "index,name,uuid,memory.total,memory.used,memory.free,compute_cap,pci.bus_id,driver_version,utilization.gpu,temperature.gpu,power.draw";

    private static readonly string[] Columns = QueryFields.Split(',');

    /// <summary>One parsed line: the device (without MIG data, which the CSV does not carry) and its driver version.</summary>
    public sealed record Row(GpuDevice Device, string? DriverVersion);

    public static IReadOnlyList<Row> Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var rows = new List<Row>();
        int lineNumber = 0;
        foreach (string rawLine in csv.Split('\n'))
        {
            lineNumber++;
            string line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            string[] fields = line.Split(',').Select(f => f.Trim()).ToArray();
            if (fields.Length != Columns.Length)
            {
                throw new HardwareFormatException(
                    $"nvidia-smi query line {lineNumber} has {fields.Length} columns, expected {Columns.Length} ({QueryFields}): '{line}'");
            }

            var reader = new FieldReader(fields, lineNumber);
            var device = new GpuDevice(
                Index: reader.RequiredInt(0),
                Name: reader.RequiredText(1),
                Uuid: reader.RequiredText(2),
                TotalBytes: reader.RequiredMib(3),
                UsedBytes: reader.OptionalMib(4),
                FreeBytes: reader.OptionalMib(5),
                ComputeCapability: reader.OptionalText(6),
                PciBusId: reader.OptionalText(7),
                UtilizationPercent: reader.OptionalInt(9),
                TemperatureCelsius: reader.OptionalInt(10),
                PowerDrawWatts: reader.OptionalDouble(11),
                MigEnabled: false,
                MigInstances: []);
            rows.Add(new Row(device, reader.OptionalText(8)));
        }

        return rows;
    }

    /// <summary>True for the placeholders nvidia-smi prints instead of a value.</summary>
    public static bool IsMissing(string value) =>
        value.Length == 0 || value == "N/A" || (value.StartsWith('[') && value.EndsWith(']'));

    private readonly struct FieldReader(string[] fields, int lineNumber)
    {
        public string RequiredText(int column) =>
            OptionalText(column) ?? throw Error(column, "is required");

        public string? OptionalText(int column) => IsMissing(fields[column]) ? null : fields[column];

        public int RequiredInt(int column) => OptionalInt(column) ?? throw Error(column, "is required");

        public int? OptionalInt(int column)
        {
            if (IsMissing(fields[column]))
            {
                return null;
            }

            return int.TryParse(fields[column], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw Error(column, "is not an integer");
        }

        public long RequiredMib(int column) => OptionalMib(column) ?? throw Error(column, "is required");

        public long? OptionalMib(int column)
        {
            if (IsMissing(fields[column]))
            {
                return null;
            }

            return long.TryParse(fields[column], NumberStyles.None, CultureInfo.InvariantCulture, out long mib)
                ? checked(mib * 1024 * 1024)
                : throw Error(column, "is not a whole number of MiB (was the query run with nounits?)");
        }

        public double? OptionalDouble(int column)
        {
            if (IsMissing(fields[column]))
            {
                return null;
            }

            return double.TryParse(fields[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                ? value
                : throw Error(column, "is not a number");
        }

        private HardwareFormatException Error(int column, string problem) =>
            new($"nvidia-smi query line {lineNumber}, column '{Columns[column]}': '{fields[column]}' {problem}");
    }
}
