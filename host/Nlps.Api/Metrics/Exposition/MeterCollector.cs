using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Nlps.Api.Metrics.Exposition;

/// <summary>
/// Listens to the instruments of one <see cref="IMeterFactory"/> (so two hosts in one process never mix) whose
/// meter name passes a filter, and keeps their state: counters accumulate the deltas the listener reports,
/// gauges keep the last value, histograms count into the instrument's advised bucket bounds. Observable
/// instruments are read on each <see cref="Collect"/>.
/// </summary>
public sealed class MeterCollector : IDisposable
{
    /// <summary>Buckets for histograms without advice: the ASP.NET Core request-duration bounds, in seconds.</summary>
    public static readonly IReadOnlyList<double> DefaultBounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> instruments = new();
    private readonly Lock collectGate = new();

    /// <summary>Starts listening.</summary>
    /// <param name="scope">Only meters created by this factory (the host's <see cref="IMeterFactory"/>).</param>
    /// <param name="meterFilter">Which of its meters, by name.</param>
    public MeterCollector(IMeterFactory scope, Func<string, bool> meterFilter)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(meterFilter);
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope) && meterFilter(instrument.Meter.Name))
            {
                instruments[instrument] = new InstrumentState(instrument);
                l.EnableMeasurementEvents(instrument, instruments[instrument]);
            }
        };
        listener.MeasurementsCompleted = (instrument, state) => instruments.TryRemove(instrument, out var _);
        listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.Start();
    }

    /// <summary>
    /// The current families. Observable instruments are read now (their callbacks must not block); instruments
    /// that map to one name are merged when their types agree and the later one is dropped when they do not.
    /// </summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (collectGate)
        {
            foreach (var state in instruments.Values.Where(s => s.IsObservable))
            {
                state.ClearSeries();
            }

            listener.RecordObservableInstruments();
            var families = new Dictionary<string, (MetricKind Kind, string Help, Dictionary<string, MetricSeries> Series)>(StringComparer.Ordinal);
            foreach (var state in instruments.Values.OrderBy(s => s.Instrument.Meter.Name, StringComparer.Ordinal).ThenBy(s => s.Instrument.Name, StringComparer.Ordinal))
            {
                if (!families.TryGetValue(state.FamilyName, out var family))
                {
                    family = (state.Kind, state.Help, new Dictionary<string, MetricSeries>(StringComparer.Ordinal));
                    families[state.FamilyName] = family;
                }
                else if (family.Kind != state.Kind)
                {
                    continue;
                }

                foreach (var (key, series) in state.Snapshot())
                {
                    family.Series[key] = family.Series.TryGetValue(key, out var earlier) ? Merge(earlier, series) : series;
                }
            }

            return [.. families.Select(f => new MetricFamily(f.Key, f.Value.Kind, f.Value.Help, [.. f.Value.Series.Values]))];
        }
    }

    /// <inheritdoc />
    public void Dispose() => listener.Dispose();

    private static MetricSeries Merge(MetricSeries a, MetricSeries b)
    {
        if (a.Histogram is { } ha && b.Histogram is { } hb && ha.UpperBounds.SequenceEqual(hb.UpperBounds))
        {
            return a with { Histogram = new HistogramData(ha.UpperBounds, [.. ha.BucketCounts.Zip(hb.BucketCounts, (x, y) => x + y)], ha.Sum + hb.Sum) };
        }

        return a with { Value = a.Value + b.Value };
    }

    private sealed class InstrumentState
    {
        private readonly ConcurrentDictionary<string, SeriesState> series = new(StringComparer.Ordinal);
        private readonly double[] bounds;

        public InstrumentState(Instrument instrument)
        {
            Instrument = instrument;
            Kind = PrometheusNames.KindOf(instrument);
            FamilyName = PrometheusNames.FamilyName(instrument.Name, instrument.Unit, Kind);
            Help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
            IsObservable = instrument.IsObservable;
            IsCumulative = instrument.IsObservable || IsGauge(instrument);
            bounds = Kind == MetricKind.Histogram ? AdvisedBounds(instrument) : [];
        }

        public Instrument Instrument { get; }

        public MetricKind Kind { get; }

        public string FamilyName { get; }

        public string Help { get; }

        public bool IsObservable { get; }

        // Observable instruments and Gauge<T> report the current value; Counter and UpDownCounter report deltas.
        private bool IsCumulative { get; }

        public void ClearSeries() => series.Clear();

        public void Record<T>(T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            where T : struct, IConvertible
        {
            var number = value.ToDouble(CultureInfo.InvariantCulture);
            var labels = Labels(tags);
            var key = string.Join('\u0001', labels.Select(l => $"{l.Key}\u0002{l.Value}"));
            var state = series.GetOrAdd(key, _ => new SeriesState(labels, bounds));
            state.Record(number, Kind == MetricKind.Histogram, IsCumulative);
        }

        public IEnumerable<KeyValuePair<string, MetricSeries>> Snapshot() =>
            series.Select(s => KeyValuePair.Create(s.Key, s.Value.Snapshot(Kind == MetricKind.Histogram ? bounds : null)));

        private static bool IsGauge(Instrument instrument) =>
            instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Gauge<>);

        private static double[] AdvisedBounds(Instrument instrument)
        {
            var advised = instrument switch
            {
                Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
                _ => null,
            };
            return [.. (advised ?? DefaultBounds).Where(double.IsFinite).Distinct().Order()];
        }

        private static List<KeyValuePair<string, string>> Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new List<KeyValuePair<string, string>>(tags.Length);
            foreach (var (key, value) in tags)
            {
                var name = PrometheusNames.LabelName(key);
                if (name == "le" || labels.Exists(l => l.Key == name))
                {
                    continue;
                }

                labels.Add(KeyValuePair.Create(name, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
            }

            labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return labels;
        }
    }

    private sealed class SeriesState(IReadOnlyList<KeyValuePair<string, string>> labels, double[] bounds)
    {
        private readonly Lock gate = new();
        private readonly long[] buckets = new long[bounds.Length + 1];
        private double value;
        private double sum;

        public void Record(double number, bool histogram, bool cumulative)
        {
            lock (gate)
            {
                if (histogram)
                {
                    if (double.IsNaN(number))
                    {
                        return;
                    }

                    // Bucket i counts observations in (bound[i-1], bound[i]]; the last one is above every bound.
                    var index = Array.BinarySearch(bounds, number);
                    buckets[index >= 0 ? index : ~index]++;
                    sum += number;
                }
                else if (cumulative)
                {
                    value = number;
                }
                else
                {
                    value += number;
                }
            }
        }

        public MetricSeries Snapshot(double[]? histogramBounds)
        {
            lock (gate)
            {
                return histogramBounds is null
                    ? new MetricSeries(labels, value, null)
                    : new MetricSeries(labels, 0, new HistogramData(histogramBounds, [.. buckets], sum));
            }
        }
    }
}
