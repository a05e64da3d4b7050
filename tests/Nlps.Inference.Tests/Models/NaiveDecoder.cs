using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Nlps.Inference.Tests.Models;

/// <summary>
/// The test oracle: a deliberately naive Llama/Mistral/Qwen2 forward pass in double precision with plain loops and no
/// cache, written from the Hugging Face modeling code, sharing no code with the engine (its own config and safetensors
/// reading too). Every call recomputes every position from scratch.
/// </summary>
internal sealed class NaiveDecoder
{
    private readonly Dictionary<string, (long[] Shape, double[] Values)> _tensors = new(StringComparer.Ordinal);
    private readonly int _hidden;
    private readonly int _layers;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly int _vocab;
    private readonly double _eps;
    private readonly double[] _inverseFrequencies;
    private readonly bool _tied;

    public NaiveDecoder(string folder)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        JsonElement c = config.RootElement;
        _hidden = c.GetProperty("hidden_size").GetInt32();
        _layers = c.GetProperty("num_hidden_layers").GetInt32();
        _heads = c.GetProperty("num_attention_heads").GetInt32();
        _kvHeads = c.GetProperty("num_key_value_heads").GetInt32();
        _headDim = _hidden / _heads;
        _vocab = c.GetProperty("vocab_size").GetInt32();
        _eps = c.GetProperty("rms_norm_eps").GetDouble();
        _tied = c.GetProperty("tie_word_embeddings").GetBoolean();
        double theta = c.GetProperty("rope_theta").GetDouble();
        _inverseFrequencies = new double[_headDim / 2];
        for (int i = 0; i < _headDim / 2; i++)
        {
            _inverseFrequencies[i] = Math.Pow(theta, -(2.0 * i) / _headDim);
        }

        if (c.TryGetProperty("rope_scaling", out JsonElement scaling) && scaling.ValueKind == JsonValueKind.Object)
        {
            // Meta's apply_scaling (llama/model.py), one frequency at a time.
            double factor = scaling.GetProperty("factor").GetDouble();
            double low = scaling.GetProperty("low_freq_factor").GetDouble();
            double high = scaling.GetProperty("high_freq_factor").GetDouble();
            double oldContext = scaling.GetProperty("original_max_position_embeddings").GetDouble();
            for (int i = 0; i < _inverseFrequencies.Length; i++)
            {
                double freq = _inverseFrequencies[i];
                double wavelength = 2 * Math.PI / freq;
                if (wavelength < oldContext / high)
                {
                    continue;
                }

                if (wavelength > oldContext / low)
                {
                    _inverseFrequencies[i] = freq / factor;
                    continue;
                }

                double smooth = ((oldContext / wavelength) - low) / (high - low);
                _inverseFrequencies[i] = ((1 - smooth) * freq / factor) + (smooth * freq);
            }
        }

        foreach (string file in Directory.GetFiles(folder, "*.safetensors"))
        {
            ReadSafetensors(file);
        }
    }

    /// <summary>Logits [position][vocab] for every position of <paramref name="tokens"/>.</summary>
    public double[][] Logits(IReadOnlyList<int> tokens)
    {
        int n = tokens.Count;
        int group = _heads / _kvHeads;
        var x = new double[n][];
        for (int t = 0; t < n; t++)
        {
            x[t] = Row("model.embed_tokens.weight", tokens[t]);
        }

        for (int l = 0; l < _layers; l++)
        {
            string p = string.Create(CultureInfo.InvariantCulture, $"model.layers.{l}.");
            var q = new double[n][];
            var k = new double[n][];
            var v = new double[n][];
            for (int t = 0; t < n; t++)
            {
                double[] h = Norm(x[t], p + "input_layernorm.weight");
                q[t] = Rotate(Linear(p + "self_attn.q_proj", h), t);
                k[t] = Rotate(Linear(p + "self_attn.k_proj", h), t);
                v[t] = Linear(p + "self_attn.v_proj", h);
            }

            for (int t = 0; t < n; t++)
            {
                var attended = new double[_heads * _headDim];
                for (int head = 0; head < _heads; head++)
                {
                    int kvHead = head / group;
                    var scores = new double[t + 1];
                    for (int s = 0; s <= t; s++)
                    {
                        double dot = 0;
                        for (int d = 0; d < _headDim; d++)
                        {
                            dot += q[t][(head * _headDim) + d] * k[s][(kvHead * _headDim) + d];
                        }

                        scores[s] = dot / Math.Sqrt(_headDim);
                    }

                    double max = scores.Max();
                    double sum = 0;
                    for (int s = 0; s <= t; s++)
                    {
                        scores[s] = Math.Exp(scores[s] - max);
                        sum += scores[s];
                    }

                    for (int s = 0; s <= t; s++)
                    {
                        for (int d = 0; d < _headDim; d++)
                        {
                            attended[(head * _headDim) + d] += scores[s] / sum * v[s][(kvHead * _headDim) + d];
                        }
                    }
                }

                double[] o = Linear(p + "self_attn.o_proj", attended);
                for (int i = 0; i < _hidden; i++)
                {
                    x[t][i] += o[i];
                }

                double[] m = Norm(x[t], p + "post_attention_layernorm.weight");
                double[] gate = Linear(p + "mlp.gate_proj", m);
                double[] up = Linear(p + "mlp.up_proj", m);
                for (int i = 0; i < gate.Length; i++)
                {
                    gate[i] = gate[i] / (1 + Math.Exp(-gate[i])) * up[i];
                }

                double[] down = Linear(p + "mlp.down_proj", gate);
                for (int i = 0; i < _hidden; i++)
                {
                    x[t][i] += down[i];
                }
            }
        }

        var logits = new double[n][];
        for (int t = 0; t < n; t++)
        {
            logits[t] = Linear(_tied ? "model.embed_tokens" : "lm_head", Norm(x[t], "model.norm.weight"));
        }

        return logits;
    }

    /// <summary>Greedy continuation: argmax of the last position, appended, recomputed from scratch each step.</summary>
    public List<int> Greedy(IReadOnlyList<int> prompt, int count)
    {
        var tokens = prompt.ToList();
        var generated = new List<int>();
        for (int i = 0; i < count; i++)
        {
            double[] last = Logits(tokens)[^1];
            int best = 0;
            for (int j = 1; j < last.Length; j++)
            {
                if (last[j] > last[best])
                {
                    best = j;
                }
            }

            generated.Add(best);
            tokens.Add(best);
        }

        return generated;
    }

    public int Vocab => _vocab;

    private double[] Norm(double[] x, string weight)
    {
        double mean = x.Sum(v => v * v) / x.Length;
        double scale = 1 / Math.Sqrt(mean + _eps);
        double[] w = _tensors[weight].Values;
        return x.Select((v, i) => v * scale * w[i]).ToArray();
    }

    private double[] Linear(string prefix, double[] input)
    {
        var (shape, w) = _tensors[prefix + ".weight"];
        int rows = (int)shape[0];
        int cols = (int)shape[1];
        var output = new double[rows];
        _tensors.TryGetValue(prefix + ".bias", out var bias);
        for (int r = 0; r < rows; r++)
        {
            double sum = bias.Values is null ? 0 : bias.Values[r];
            for (int c = 0; c < cols; c++)
            {
                sum += w[((long)r * cols) + c] * input[c];
            }

            output[r] = sum;
        }

        return output;
    }

    // HF rotate_half: element i of a head pairs with element i + headDim/2.
    private double[] Rotate(double[] x, int position)
    {
        var result = (double[])x.Clone();
        int half = _headDim / 2;
        for (int start = 0; start < x.Length; start += _headDim)
        {
            for (int i = 0; i < half; i++)
            {
                double angle = position * _inverseFrequencies[i];
                double a = x[start + i];
                double b = x[start + i + half];
                result[start + i] = (a * Math.Cos(angle)) - (b * Math.Sin(angle));
                result[start + i + half] = (b * Math.Cos(angle)) + (a * Math.Sin(angle));
            }
        }

        return result;
    }

    private double[] Row(string name, int row)
    {
        var (shape, values) = _tensors[name];
        int cols = (int)shape[1];
        return values.Skip(row * cols).Take(cols).ToArray();
    }

    private void ReadSafetensors(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(file, 8, headerLength));
        int data = 8 + headerLength;
        foreach (JsonProperty tensor in header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
        {
            string dtype = tensor.Value.GetProperty("dtype").GetString()!;
            long[] shape = tensor.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            int begin = data + tensor.Value.GetProperty("data_offsets")[0].GetInt32();
            long count = shape.Aggregate(1L, (a, b) => a * b);
            var values = new double[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = dtype switch
                {
                    "F32" => BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(begin + (4 * i))),
                    "F16" => (double)BinaryPrimitives.ReadHalfLittleEndian(file.AsSpan(begin + (2 * i))),
                    "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(begin + (2 * i))) << 16),
                    _ => throw new InvalidDataException(dtype),
                };
            }

            _tensors[tensor.Name] = (shape, values);
        }
    }
}
