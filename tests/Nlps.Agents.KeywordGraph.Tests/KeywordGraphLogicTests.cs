using Nlps.Agents.KeywordGraph.Contracts;
using Nlps.Agents.KeywordGraph.Extraction;
using Nlps.Agents.KeywordGraph.Graph;

namespace Nlps.Agents.KeywordGraph.Tests;

public sealed class KeywordGraphLogicTests
{
    private static CooccurrenceGraph Graph()
    {
        var graph = new CooccurrenceGraph();
        graph.Put(new StoredDocument("a", [["관세", "원산지"], ["관세", "원산지"], ["관세", "수입신고"]], []));
        graph.Put(new StoredDocument("b", [["수입신고", "전자신고"], ["환율"]], []));
        return graph;
    }

    [Fact]
    public void Npmi_ranks_keywords_that_always_meet_above_chance_meetings()
    {
        var neighbours = Graph().Neighbours("관세", 10);
        Assert.Equal(["원산지", "수입신고"], neighbours.Select(n => n.Keyword));
        Assert.Equal(2, neighbours[0].Count);
        Assert.True(neighbours[0].Npmi > neighbours[1].Npmi);
        Assert.InRange(neighbours[0].Npmi, 0, 1);
    }

    [Fact]
    public void Shortest_path_walks_hops_and_says_when_there_is_none()
    {
        var graph = Graph();
        Assert.Equal(["원산지", "관세", "수입신고", "전자신고"], graph.ShortestPath("원산지", "전자신고", 6));
        Assert.Empty(graph.ShortestPath("원산지", "전자신고", 2));
        Assert.Empty(graph.ShortestPath("원산지", "환율", 6));
    }

    [Fact]
    public void Removing_a_document_takes_back_exactly_its_counts()
    {
        var graph = Graph();
        graph.Remove("b");
        Assert.Equal(3, graph.Passages);
        Assert.Equal(1, graph.Frequency("수입신고"));
        Assert.False(graph.Contains("전자신고"));
        Assert.Equal(2, graph.Edges);
    }

    [Fact]
    public void Statistical_extraction_strips_particles_drops_stop_words_and_finds_repeated_phrases()
    {
        var keywords = StatisticalExtractor.Extract("원산지 증명서를 제출한다. 원산지 증명서는 관세청이 확인한다. 이 경우 관세가 감면된다.", 20).Select(k => k.Keyword).ToList();
        Assert.Contains("원산지", keywords);
        Assert.Contains("증명서", keywords);
        Assert.Contains("관세청", keywords);
        Assert.Contains("원산지 증명서", keywords);
        Assert.DoesNotContain("경우", keywords);
        Assert.DoesNotContain("증명서를", keywords);
    }

    [Fact]
    public void Dictionary_terms_rank_first_and_agreeing_methods_are_all_named()
    {
        var extractor = new KeywordExtractor(["원산지 증명서"]);
        var keywords = extractor.Extract("원산지 증명서를 제출한다. 원산지 증명서는 관세청이 확인한다.", 5);
        Assert.Equal("원산지 증명서", keywords[0].Keyword);
        Assert.Equal(["dictionary", "statistical"], keywords[0].Methods);
    }

    [Fact]
    public void Model_json_is_found_inside_prose_and_invalid_items_are_dropped()
    {
        Assert.Equal(["관세청"], ModelJsonReader.Keywords("Keywords:\n```json\n{\"keywords\": [\"관세청\", \"달\", 3]}\n```", "관세청은 확인한다."));
        Assert.Null(ModelJsonReader.Keywords("관세청, 원산지", "관세청"));
        var relations = ModelJsonReader.Relations(
            "{\"relations\": [{\"subject\": \"관세청\", \"relation\": \"regulates\", \"object\": \"원산지\"}, {\"subject\": \"관세청\", \"relation\": \"regulates\", \"object\": \"달\"}]}",
            new HashSet<string> { "관세청", "원산지" },
            new HashSet<string> { "regulates" });
        Assert.Equal(1, relations!.Value.Rejected);
        Assert.Equal(new KeywordRelation("관세청", "regulates", "원산지"), Assert.Single(relations.Value.Accepted));
    }

    [Fact]
    public void GraphMl_export_is_well_formed_with_korean_ids()
    {
        var (nodes, edges) = Graph().Subgraph("관세", 1, 10);
        var xml = System.Xml.Linq.XDocument.Parse(GraphMlWriter.Write(nodes, edges));
        Assert.Equal(3, nodes.Count);
        Assert.Equal(2, edges.Count);
        Assert.Contains("id=\"관세\"", xml.ToString(), StringComparison.Ordinal);
    }
}
