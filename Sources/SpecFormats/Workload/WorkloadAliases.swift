import NetworkGraph
import Yams

/// A node of the composed YAML tree (Yams), named apart from the graph's node.
typealias YAMLNode = Yams.Node

/// A node of the network graph, named apart from the YAML tree's node.
typealias GraphNode = NetworkGraph.Node
