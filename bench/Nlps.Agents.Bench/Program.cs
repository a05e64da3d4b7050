using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nlps.Agents.KeywordGraph.Contracts;
using Nlps.Agents.KeywordGraph.Extraction;
using Nlps.Agents.KeywordGraph.Graph;
using Nlps.Agents.Text.Matching;

// Synthetic but shaped like the real inputs: 10,000 distinct Korean terms of 2-8 syllables, a 1 MB text of words
// drawn from the terms (with particles) and from non-terms, 10,000 passages for the graph. Fixed seed.
var random = new Random(42);
string Word(int min, int max) => string.Concat(Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => (char)random.Next(0xAC00, 0xAC00 + 400)));
var terms = new HashSet<string>(StringComparer.Ordinal);
while (terms.Count < 10_000)
{
    terms.Add(Word(2, 8));
}

var termList = terms.ToList();
string[] particles = ["", "는", "를", "의", "에서", "으로", "이", "가"];
var text = new StringBuilder();
while (Encoding.UTF8.GetByteCount(text.ToString()) < 1_000_000 && text.Length < 400_000)
{
    text.Append(random.Next(4) == 0 ? termList[random.Next(termList.Count)] + particles[random.Next(particles.Length)] : Word(1, 4)).Append(random.Next(12) == 0 ? ". " : " ");
}

var input = text.ToString();
var megabytes = Encoding.UTF8.GetByteCount(input) / 1_000_000.0;
var build = Stopwatch.StartNew();
var matcher = new TermMatcher(termList);
build.Stop();
matcher.FindAll(input); // warm-up
var runs = 5;
var match = Stopwatch.StartNew();
var found = 0;
for (var i = 0; i < runs; i++)
{
    found = matcher.FindAll(input).Count;
}

match.Stop();
var perRun = match.Elapsed.TotalSeconds / runs;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"glossary: {termList.Count} terms built in {build.ElapsedMilliseconds} ms; {megabytes:F2} MB text ({input.Length} chars) matched in {perRun * 1000:F1} ms = {megabytes / perRun:F1} MB/s, {found} matches"));

var documents = Enumerable.Range(0, 2000).Select(_ => string.Join(". ", Enumerable.Range(0, 5).Select(_ => string.Join(' ', Enumerable.Range(0, 12).Select(_ => random.Next(3) == 0 ? termList[random.Next(500)] + particles[random.Next(particles.Length)] : Word(2, 4)))))).ToList();
var extractor = new KeywordExtractor(termList);
extractor.Extract(documents[0], 8);
var extract = Stopwatch.StartNew();
var graph = new CooccurrenceGraph();
var passages = 0;
for (var d = 0; d < documents.Count; d++)
{
    var sentences = documents[d].Split(". ");
    var keywordSets = new List<IReadOnlyList<string>>();
    foreach (var sentence in sentences)
    {
        keywordSets.Add([.. extractor.Extract(sentence, 8).Select(k => k.Keyword)]);
    }

    passages += keywordSets.Count;
    graph.Put(new StoredDocument("doc" + d, keywordSets, []));
}

extract.Stop();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"extraction+graph: {documents.Count} documents, {passages} passages in {extract.Elapsed.TotalSeconds:F2} s = {passages / extract.Elapsed.TotalSeconds:F0} passages/s; graph {graph.Nodes} nodes, {graph.Edges} edges"));

var queries = termList.Take(500).Where(graph.Contains).Take(200).ToList();
var neighbours = Stopwatch.StartNew();
foreach (var q in queries)
{
    graph.Neighbours(q, 20);
}

neighbours.Stop();
var paths = Stopwatch.StartNew();
for (var i = 0; i + 1 < queries.Count; i++)
{
    graph.ShortestPath(queries[i], queries[i + 1], 6);
}

paths.Stop();
var related = Stopwatch.StartNew();
for (var i = 0; i + 2 < queries.Count; i++)
{
    graph.Related([queries[i], queries[i + 1], queries[i + 2]], 10);
}

related.Stop();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"queries on that graph: neighbours {neighbours.Elapsed.TotalMilliseconds / queries.Count:F3} ms, shortest path {paths.Elapsed.TotalMilliseconds / (queries.Count - 1):F3} ms, related (3 seeds) {related.Elapsed.TotalMilliseconds / (queries.Count - 2):F3} ms per query ({queries.Count} queries)"));
