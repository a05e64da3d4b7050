using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Nlps.Sdk.Storage;
using Nlps.Storage.Database;
using Nlps.Storage.Documents;
using Nlps.Storage.Vectors;

// Usage: dotnet run -c Release --project bench/Nlps.Bench.Retrieval -- [eval|latency] [chunks]
var mode = args.Length > 0 ? args[0] : "eval";
var folder = Directory.CreateTempSubdirectory("nlps-bench-");
try
{
    using var database = StateDatabase.Open(Path.Combine(folder.FullName, "nlps.db"), TimeProvider.System, NullLogger<StateDatabase>.Instance);
    if (mode == "eval")
    {
        await Evaluation.RunAsync(database);
    }
    else
    {
        await Latency.RunAsync(database, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000, args.Length > 2 ? args[2] : "zipf20k");
    }
}
finally
{
    SqliteConnection.ClearAllPools();
    folder.Delete(recursive: true);
}

internal static class Evaluation
{
    public static async Task RunAsync(StateDatabase database)
    {
        var root = FindData();
        var passages = File.ReadLines(Path.Combine(root, "passages.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Id: e.GetProperty("id").GetString()!, Text: e.GetProperty("text").GetString()!)).ToList();
        var queries = File.ReadLines(Path.Combine(root, "queries.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Query: e.GetProperty("query").GetString()!, Gold: e.GetProperty("gold_passage_ids").EnumerateArray().Select(g => g.GetString()!).ToHashSet())).ToList();
        var distractors = Synthetic.Sentences(new Random(11), 3000).Select((t, i) => (Id: $"d{i}", Text: t)).ToList();
        var factory = new DocumentStoreFactory(database, TimeProvider.System);

        Console.WriteLine($"| indexing | corpus | recall@1 | recall@5 | recall@10 | MRR |");
        Console.WriteLine($"|---|---|---|---|---|---|");
        foreach (var withDistractors in new[] { false, true })
        {
            foreach (var indexing in Enum.GetValues<TextIndexing>())
            {
                var store = factory.For($"eval-{indexing}-{withDistractors}");
                await store.EnsureCollectionAsync("kb", indexing);
                var corpus = withDistractors ? passages.Concat(distractors).ToList() : passages;
                foreach (var batch in corpus.Chunk(500))
                {
                    await store.ReplaceDocumentAsync("kb", batch[0].Id, batch.Select(p => new DocumentChunk(p.Id, p.Text)).ToList());
                }

                double r1 = 0, r5 = 0, r10 = 0, mrr = 0;
                foreach (var (query, gold) in queries)
                {
                    var hits = await store.SearchAsync("kb", query, 10);
                    var rank = hits.Select((h, i) => (h, i)).FirstOrDefault(x => gold.Contains(x.h.Chunk.Id)).i + 1;
                    var found = hits.Any(h => gold.Contains(h.Chunk.Id));
                    if (found)
                    {
                        r1 += rank <= 1 ? 1 : 0;
                        r5 += rank <= 5 ? 1 : 0;
                        r10 += 1;
                        mrr += 1.0 / rank;
                    }
                }

                var n = queries.Count;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {indexing} | {(withDistractors ? $"{passages.Count} + {distractors.Count} distractors" : $"{passages.Count}")} | {r1 / n:F3} | {r5 / n:F3} | {r10 / n:F3} | {mrr / n:F3} |"));
            }
        }
    }

    private static string FindData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "bench", "data", "korean-eval");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("bench/data/korean-eval not found");
    }
}

internal static class Latency
{
    public static async Task RunAsync(StateDatabase database, int chunkCount, string vocabulary)
    {
        Console.WriteLine($"corpus: {chunkCount} chunks, vocabulary {vocabulary}");
        var random = new Random(5);
        var documents = new DocumentStoreFactory(database, TimeProvider.System).For("latency");
        await documents.EnsureCollectionAsync("kb");
        var sentences = vocabulary == "finance48" ? Synthetic.Sentences(random, chunkCount) : Synthetic.ZipfSentences(random, chunkCount);
        var watch = Stopwatch.StartNew();
        for (var doc = 0; doc * 100 < chunkCount; doc++)
        {
            var chunks = Enumerable.Range(doc * 100, Math.Min(100, chunkCount - (doc * 100))).Select(i => new DocumentChunk($"c{i}", sentences[i])).ToList();
            await documents.ReplaceDocumentAsync("kb", $"doc{doc}", chunks);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"document store ingestion: {chunkCount} chunks in {watch.Elapsed.TotalSeconds:F1} s = {chunkCount / watch.Elapsed.TotalSeconds:F0} chunks/s (100 chunks per document transaction)"));

        var queries = (vocabulary == "finance48" ? Synthetic.Sentences(new Random(9), 200) : Synthetic.ZipfSentences(new Random(9), 200)).Select(s => string.Join(' ', s.Split(' ').Take(4))).ToList();
        var bm25 = await TimeAsync(queries, async q => await documents.SearchAsync("kb", q, 40));
        Report("bm25 (bigram FTS5, top 40)", bm25);
        if (Environment.GetEnvironmentVariable("NLPS_BENCH_BM25_ONLY") == "1")
        {
            return;
        }

        foreach (var quantization in new[] { VectorQuantization.None, VectorQuantization.Int8 })
        {
            var vectors = new VectorStoreFactory(database, TimeProvider.System).For($"latency-{quantization}");
            await vectors.EnsureCollectionAsync("kb", 1024, quantization);
            watch.Restart();
            for (var start = 0; start < chunkCount; start += 1000)
            {
                await vectors.UpsertAsync("kb", Enumerable.Range(start, Math.Min(1000, chunkCount - start)).Select(i => new VectorRecord($"c{i}", Unit(random, 1024))).ToList());
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"vector upsert {quantization}: {chunkCount / watch.Elapsed.TotalSeconds:F0} vectors/s"));
            watch.Restart();
            await vectors.SearchAsync("kb", Unit(random, 1024), 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first search {quantization} (loads {chunkCount} vectors into memory): {watch.Elapsed.TotalMilliseconds:F0} ms"));
            var probes = Enumerable.Range(0, 200).Select(_ => Unit(random, 1024)).ToList();
            Report($"dense 1024-d {quantization} (exact, top 40)", await TimeAsync(probes, async v => await vectors.SearchAsync("kb", v, 40)));

            var pairs = queries.Zip(probes).ToList();
            Report($"hybrid = bm25 + dense {quantization} + RRF", await TimeAsync(pairs, async p =>
            {
                var sparse = await documents.SearchAsync("kb", p.First, 40);
                var dense = await vectors.SearchAsync("kb", p.Second, 40);
                var fused = new Dictionary<string, double>();
                for (var i = 0; i < sparse.Count; i++)
                {
                    fused[sparse[i].Chunk.Id] = fused.GetValueOrDefault(sparse[i].Chunk.Id) + (1.0 / (61 + i));
                }

                for (var i = 0; i < dense.Count; i++)
                {
                    fused[dense[i].Key] = fused.GetValueOrDefault(dense[i].Key) + (1.0 / (61 + i));
                }

                return fused.OrderByDescending(f => f.Value).Take(10).ToList();
            }));
        }
    }

    private static async Task<List<double>> TimeAsync<T, TResult>(List<T> inputs, Func<T, Task<TResult>> run)
    {
        await run(inputs[0]); // warm-up
        var times = new List<double>(inputs.Count);
        foreach (var input in inputs)
        {
            var started = Stopwatch.GetTimestamp();
            await run(input);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return times;
    }

    private static void Report(string what, List<double> times)
    {
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: p50 {times[times.Count / 2]:F2} ms, p99 {times[(int)(times.Count * 0.99)]:F2} ms over {times.Count} queries"));
    }

    private static float[] Unit(Random random, int dims)
    {
        var v = new float[dims];
        for (var i = 0; i < dims; i++)
        {
            v[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var norm = MathF.Sqrt(v.Sum(x => x * x));
        for (var i = 0; i < dims; i++)
        {
            v[i] /= norm;
        }

        return v;
    }
}

/// <summary>Deterministic Korean filler: finance nouns with particles and endings, in random order.</summary>
internal static class Synthetic
{
    private static readonly string[] Nouns =
    [
        "금리", "대출", "예금", "적금", "보험", "카드", "연금", "세금", "환율", "수수료", "한도", "이자", "원금", "계좌", "통장", "주식",
        "펀드", "채권", "신용", "담보", "보증", "상환", "만기", "해지", "송금", "이체", "고객", "은행", "지점", "상품", "약관", "공제",
        "소득", "자산", "부채", "투자", "손실", "수익", "배당", "시장", "정책", "규제", "감독", "공시", "증권", "외환", "결제", "연체",
    ];

    private static readonly string[] Particles = ["은", "는", "이", "가", "을", "를", "의", "에", "에서", "으로", "와", "도", ""];

    private static readonly string[] Endings = ["입니다.", "합니다.", "됩니다.", "했습니다.", "있습니다.", "없습니다."];

    /// <summary>
    /// Sentences over a 20,000-word vocabulary of random 2-4 syllable Hangul words drawn with a Zipf (s = 1)
    /// distribution, each word with a random particle: closer to real documents, where most terms are selective.
    /// </summary>
    public static List<string> ZipfSentences(Random random, int count)
    {
        var vocabularyRandom = new Random(3);
        var vocabulary = Enumerable.Range(0, 20_000)
            .Select(_ => new string(Enumerable.Range(0, vocabularyRandom.Next(2, 5)).Select(_ => (char)vocabularyRandom.Next(0xAC00, 0xD7A4)).ToArray()))
            .ToArray();
        var cumulative = new double[vocabulary.Length];
        var total = 0.0;
        for (var i = 0; i < vocabulary.Length; i++)
        {
            total += 1.0 / (i + 1);
            cumulative[i] = total;
        }

        var sentences = new List<string>(count);
        var builder = new StringBuilder();
        for (var s = 0; s < count; s++)
        {
            builder.Clear();
            var words = random.Next(12, 30);
            for (var w = 0; w < words; w++)
            {
                var index = Array.BinarySearch(cumulative, random.NextDouble() * total);
                builder.Append(vocabulary[index < 0 ? ~index : index]).Append(Particles[random.Next(Particles.Length)]).Append(' ');
            }

            sentences.Add(builder.Append(Endings[random.Next(Endings.Length)]).ToString());
        }

        return sentences;
    }

    public static List<string> Sentences(Random random, int count)
    {
        var sentences = new List<string>(count);
        var builder = new StringBuilder();
        for (var s = 0; s < count; s++)
        {
            builder.Clear();
            var words = random.Next(12, 30);
            for (var w = 0; w < words; w++)
            {
                builder.Append(Nouns[random.Next(Nouns.Length)]).Append(Particles[random.Next(Particles.Length)]).Append(' ');
                if (random.Next(8) == 0)
                {
                    builder.Append(Endings[random.Next(Endings.Length)]).Append(' ');
                }
            }

            sentences.Add(builder.Append(Endings[random.Next(Endings.Length)]).ToString());
        }

        return sentences;
    }
}
