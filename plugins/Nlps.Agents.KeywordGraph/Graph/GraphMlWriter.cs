using System.Globalization;
using System.Xml;
using Nlps.Agents.KeywordGraph.Contracts;

namespace Nlps.Agents.KeywordGraph.Graph;

/// <summary>Writes a subgraph as GraphML (undirected; node attribute frequency, edge attributes count and npmi).</summary>
internal static class GraphMlWriter
{
    private const string Namespace = "http://graphml.graphdrawing.org/xmlns";

    public static string Write(IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true }))
        {
            xml.WriteStartElement("graphml", Namespace);
            Key(xml, "frequency", "node", "int");
            Key(xml, "count", "edge", "int");
            Key(xml, "npmi", "edge", "double");
            xml.WriteStartElement("graph", Namespace);
            xml.WriteAttributeString("id", "keywords");
            xml.WriteAttributeString("edgedefault", "undirected");
            foreach (var node in nodes)
            {
                xml.WriteStartElement("node", Namespace);
                xml.WriteAttributeString("id", node.Keyword);
                Data(xml, "frequency", node.Frequency.ToString(CultureInfo.InvariantCulture));
                xml.WriteEndElement();
            }

            foreach (var edge in edges)
            {
                xml.WriteStartElement("edge", Namespace);
                xml.WriteAttributeString("source", edge.Source);
                xml.WriteAttributeString("target", edge.Target);
                Data(xml, "count", edge.Count.ToString(CultureInfo.InvariantCulture));
                Data(xml, "npmi", edge.Npmi.ToString("R", CultureInfo.InvariantCulture));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return text.ToString();
    }

    private static void Key(XmlWriter xml, string name, string target, string type)
    {
        xml.WriteStartElement("key", Namespace);
        xml.WriteAttributeString("id", name);
        xml.WriteAttributeString("for", target);
        xml.WriteAttributeString("attr.name", name);
        xml.WriteAttributeString("attr.type", type);
        xml.WriteEndElement();
    }

    private static void Data(XmlWriter xml, string key, string value)
    {
        xml.WriteStartElement("data", Namespace);
        xml.WriteAttributeString("key", key);
        xml.WriteString(value);
        xml.WriteEndElement();
    }
}
